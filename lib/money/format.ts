/**
 * Money for people: "89,00 €" in French, "€89.00" in English, from the exact decimal string
 * (never through a float), and "59.97 EUR" from minor units for plain-text messages.
 *
 * The shop currencies of the table below are written by string arithmetic, exactly as Intl
 * writes them (a test compares the two): the first Intl.NumberFormat of a process loads ICU's
 * locale data, ~25 ms of every cold start that shows a price. Other currencies go through Intl.
 */
import { currencyExponent, fromMinorUnits } from "./minor-units.js";

export type MoneyLang = "fr" | "en";

const LOCALE: Record<MoneyLang, string> = { fr: "fr-FR", en: "en-GB" };
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** How fr-FR and en-GB write these currencies: [prefix, suffix] around the number. */
const AFFIXES: Record<string, Record<MoneyLang, [string, string]>> = {
  EUR: { fr: ["", " €"], en: ["€", ""] },
  GBP: { fr: ["", " £GB"], en: ["£", ""] },
  USD: { fr: ["", " $US"], en: ["US$", ""] },
  CHF: { fr: ["", " CHF"], en: ["CHF ", ""] },
  CAD: { fr: ["", " $CA"], en: ["CA$", ""] },
};
const SEPARATORS: Record<MoneyLang, { group: string; decimal: string }> = { fr: { group: " ", decimal: "," }, en: { group: ",", decimal: "." } };

/** "1234.565" -> ["1234", "57"] for 2 decimals: rounded half away from zero, as Intl does. */
function roundDecimal(int: string, frac: string, digits: number): [string, string] {
  const kept = BigInt(int + frac.slice(0, digits).padEnd(digits, "0")) + ((frac[digits] ?? "0") >= "5" ? 1n : 0n);
  const s = kept.toString().padStart(digits + 1, "0");
  return digits ? [s.slice(0, -digits), s.slice(-digits)] : [s, ""];
}

function formatKnown(int: string, frac: string, currency: string, lang: MoneyLang): string | null {
  const affix = AFFIXES[currency]?.[lang];
  if (!affix) return null;
  const [whole, cents] = roundDecimal(int, frac, currencyExponent(currency));
  const sep = SEPARATORS[lang];
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, sep.group);
  return `${affix[0]}${grouped}${cents ? sep.decimal + cents : ""}${affix[1]}`;
}

/** A decimal string as money in the shopper's language; the exact string is kept if it does not parse. */
export function formatPrice(amount: string, currency: string, lang: MoneyLang): string {
  const trimmed = amount.trim();
  const m = DECIMAL.exec(trimmed);
  if (m) {
    const known = formatKnown(m[1]!, m[2] ?? "", currency.toUpperCase(), lang);
    if (known) return known;
  }
  // Intl formats a numeric string exactly (no float on the way); other input keeps its old path.
  const value = m ? (trimmed as `${number}`) : Number(amount);
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
