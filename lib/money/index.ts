/**
 * lib/money — the one money module. Amounts are exact decimal strings ("19.90") in the app and
 * integer minor units (1990) where they are summed or sent to Stripe; never floats. Decimal
 * strings (decimal.ts: normalise vendor numbers, compare), minor units per currency
 * (minor-units.ts: exponent, conversions, line totals), and formatting for people per language
 * (format.ts).
 */
export { toDecimalString, toDecimalOrNull, compareDecimal, originalIfDiscounted } from "./decimal.js";
export { currencyExponent, toMinorUnits, fromMinorUnits, lineTotal, MoneyError, STRIPE_MAX_AMOUNT } from "./minor-units.js";
export { formatPrice, formatMoney, type MoneyLang } from "./format.js";
