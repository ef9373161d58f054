/**
 * Money for people: "89,00 €" in French, "€89.00" in English (Intl, from the exact decimal
 * string, never through a float), and "59.97 EUR" from minor units for plain-text messages.
 */
import { fromMinorUnits } from "./minor-units.js";

export type MoneyLang = "fr" | "en";

const LOCALE: Record<MoneyLang, string> = { fr: "fr-FR", en: "en-GB" };
const DECIMAL = /^\d+(\.\d+)?$/;

/** A decimal string as money in the shopper's language; the exact string is kept if it does not parse. */
export function formatPrice(amount: string, currency: string, lang: MoneyLang): string {
  const trimmed = amount.trim();
  // Intl formats a numeric string exactly (no float on the way); other input keeps its old path.
  const value = DECIMAL.test(trimmed) ? (trimmed as `${number}`) : Number(amount);
  if (typeof value === "number" && !Number.isFinite(value)) return `${amount} ${currency}`;
  try {
    return new Intl.NumberFormat(LOCALE[lang], { style: "currency", currency }).format(value).replace(/\u202f|\u00a0/g, " ");
  } catch {
    return `${amount} ${currency}`;
  }
}

/** "59.97 EUR" for messages. */
export function formatMoney(minor: number, currency: string): string {
  return `${fromMinorUnits(minor, currency)} ${currency.toUpperCase()}`;
}
