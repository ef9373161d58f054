/**
 * How the assistant shows things: product cards, prices with their discount ("89,00 € (au lieu
 * de 99,00 €)"; the money itself is formatted by lib/money), button titles (≤ 20 characters,
 * the WhatsApp limit).
 */
import { formatPrice } from "../money/index.js";
import type { Product } from "../shop/types.js";
import type { Lang } from "./language.js";
import type { ReplyButton, ReplyProduct } from "./types.js";

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

/** "89,00 €" plus, when discounted, "(au lieu de 99,00 €)". */
export function priceText(p: Product, lang: Lang): string {
  const now = formatPrice(p.price, p.currency, lang);
  if (!p.originalPrice) return now;
  const was = formatPrice(p.originalPrice, p.currency, lang);
  return lang === "fr" ? `${now} (au lieu de ${was})` : `${now} (was ${was})`;
}
