/**
 * Minor units (what Stripe and sums use): decimal strings ("19.99") to integer minor units (1999) and back,
 * with string and integer arithmetic only (19.99 x 3 = 5997, never 5996.999...).
 */

/** Stripe's zero-decimal and three-decimal currencies; every other one has two decimals. */
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);

/** Stripe refuses amounts above eight digits of minor units (99,999,999). */
export const STRIPE_MAX_AMOUNT = 99_999_999;

export class MoneyError extends Error {
  override name = "MoneyError";
}

/** Digits after the decimal point that the currency's minor unit holds. */
export function currencyExponent(currency: string): number {
  const c = currency.toLowerCase();
  return ZERO_DECIMAL.has(c) ? 0 : THREE_DECIMAL.has(c) ? 3 : 2;
}

const DECIMAL = /^(\d{1,12})(?:\.(\d{1,12}))?$/;

/**
 * "19.99" (eur) -> 1999; "1500" (jpy) -> 1500. Throws MoneyError for malformed values and for
 * fractions the currency cannot hold ("19.995" eur, "19.5" jpy).
 */
export function toMinorUnits(decimal: string, currency: string): number {
  const m = DECIMAL.exec(decimal.trim());
  if (!m) throw new MoneyError(`not a decimal amount: ${JSON.stringify(decimal)}`);
  const exp = currencyExponent(currency);
  const frac = m[2] ?? "";
  if (/[1-9]/.test(frac.slice(exp))) throw new MoneyError(`${decimal} has more decimals than ${currency.toUpperCase()} allows`);
  const minor = BigInt(m[1]! + frac.slice(0, exp).padEnd(exp, "0"));
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyError(`amount too large: ${decimal}`);
  return Number(minor);
}

/** 1999 (eur) -> "19.99"; 1500 (jpy) -> "1500". */
export function fromMinorUnits(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new MoneyError(`not a non-negative integer amount: ${minor}`);
  const exp = currencyExponent(currency);
  if (exp === 0) return String(minor);
  const s = String(minor).padStart(exp + 1, "0");
  return `${s.slice(0, -exp)}.${s.slice(-exp)}`;
}

/** unit x quantity in minor units, exact (both are safe integers). */
export function lineTotal(unitAmount: number, quantity: number): number {
  const total = unitAmount * quantity;
  if (!Number.isSafeInteger(total)) throw new MoneyError("line total too large");
  return total;
}
