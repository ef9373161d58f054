/**
 * How the assistant shows things: prices in the shopper's language ("89,00 €" / "€89.00"),
 * product cards, button titles (≤ 20 characters, the WhatsApp limit), exact totals.
 */
import { fromMinorUnits, lineTotal, toMinorUnits } from "../checkout/money.js";
import type { Product } from "../shop/types.js";
import type { Lang } from "./language.js";
import type { ReplyButton, ReplyProduct } from "./types.js";

/** A decimal string as money for people; the exact string is kept if it does not parse. */
export function formatPrice(amount: string, currency: string, lang: Lang): string {
  const n = Number(amount);
  if (!Number.isFinite(n)) return `${amount} ${currency}`;
  try {
    return new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", { style: "currency", currency }).format(n).replace(/\u202f|\u00a0/g, " ");
  } catch {
    return `${amount} ${currency}`;
  }
}

export function productCard(p: Product): ReplyProduct {
  return {
    id: p.id,
    name: p.name,
    price: p.price,
    originalPrice: p.originalPrice,
    currency: p.currency,
    imageUrl: p.imageUrl,
    url: p.url,
    inStock: p.inStock,
  };
}

/** At most `max` characters, cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}

export function button(title: string, payload: string): ReplyButton {
  return { title: clip(title, 20), payload: payload.slice(0, 200) };
}

export interface PricedLine { product: Product; quantity: number }

/** Sum of price × quantity, exact (integer minor units), as a decimal string in the lines' currency. */
export function exactTotal(lines: PricedLine[]): { amount: string; currency: string } {
  const currency = lines[0]?.product.currency ?? "EUR";
  let minor = 0;
  for (const l of lines) {
    if (l.product.currency !== currency) throw new Error("mixed currencies in one cart");
    minor += lineTotal(toMinorUnits(l.product.price, currency), l.quantity);
  }
  return { amount: fromMinorUnits(minor, currency), currency };
}

/** "89,00 €" plus, when discounted, "(au lieu de 99,00 €)". */
export function priceText(p: Product, lang: Lang): string {
  const now = formatPrice(p.price, p.currency, lang);
  if (!p.originalPrice) return now;
  const was = formatPrice(p.originalPrice, p.currency, lang);
  return lang === "fr" ? `${now} (au lieu de ${was})` : `${now} (was ${was})`;
}
