/**
 * Money as exact decimal strings ("19.90"), never floats: normalising, comparing. Vendor numbers (Wix Catalog V1 sends
 * JSON numbers) are converted from their shortest decimal form, without arithmetic.
 */

const DECIMAL = /^\d+(\.\d+)?$/;

/** "19.9" -> "19.90", 20 -> "20.00", "19.900" -> "19.90"; at least two decimals, exact. */
export function toDecimalString(value: number | string): string {
  const s = typeof value === "number" ? numberToPlainString(value) : value.trim();
  if (!DECIMAL.test(s)) throw new TypeError(`not a non-negative decimal amount: ${JSON.stringify(value)}`);
  const [intPart, frac = ""] = s.split(".") as [string, string?];
  const int = intPart.replace(/^0+(?=\d)/, "");
  const trimmed = frac.replace(/0+$/, "");
  return `${int}.${trimmed.padEnd(2, "0")}`;
}

/** Like toDecimalString, but null for missing or malformed values. */
export function toDecimalOrNull(value: unknown): string | null {
  if (typeof value !== "number" && typeof value !== "string") return null;
  try {
    return toDecimalString(value);
  } catch {
    return null;
  }
}

function numberToPlainString(n: number): string {
  if (!Number.isFinite(n) || n < 0) throw new TypeError(`not a non-negative amount: ${n}`);
  const s = String(n); // shortest round-trip form: 19.9 -> "19.9"
  if (!/e/i.test(s)) return s;
  // Exponent forms only occur for tiny or huge values; toFixed is exact enough to reject or keep them.
  return n < 1 ? n.toFixed(20).replace(/0+$/, "").replace(/\.$/, "") : BigInt(Math.trunc(n)).toString();
}

/** Compares two decimal strings exactly: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): -1 | 0 | 1 {
  const [ai, af = ""] = toDecimalString(a).split(".") as [string, string?];
  const [bi, bf = ""] = toDecimalString(b).split(".") as [string, string?];
  if (ai.length !== bi.length) return ai.length < bi.length ? -1 : 1;
  if (ai !== bi) return ai < bi ? -1 : 1;
  const n = Math.max(af.length, bf.length);
  const x = af.padEnd(n, "0");
  const y = bf.padEnd(n, "0");
  return x === y ? 0 : x < y ? -1 : 1;
}

/** The original price when it is strictly above the price paid, else null. */
export function originalIfDiscounted(price: string, original: string | null): string | null {
  return original !== null && compareDecimal(original, price) > 0 ? original : null;
}
