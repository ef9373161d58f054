/**
 * Price bounds, price order and availability read from a shopper's words, in French and English:
 * "under 50", "moins de 30 €", "between 20 and 40", "around 50 euros" (a band: ±20 %), "50 € max",
 * "the cheapest", "le plus cher", "in stock". What was understood is taken out of the text, the
 * rest is searched as product words. Amounts stay exact decimal strings (integer cents inside).
 *
 * A bare amount ("carte cadeau 50 €", "taille 38") is never a bound: only an amount that a
 * comparison word introduces or follows is.
 */
import { fromMinorUnits, toMinorUnits } from "../money/index.js";
import { foldText } from "./text.js";
import type { ProductSort } from "./types.js";

export interface SearchConstraints {
  /** The text without the phrases understood below (folded: lower case, no accents). */
  text: string;
  minPrice?: string;
  maxPrice?: string;
  sort?: ProductSort;
  inStockOnly?: boolean;
}

/** "around N" means N ± this share of N. */
export const AROUND_BAND = 0.2;

// Comparison words (folded), longest first inside each alternation so "less than" wins over "less".
const MAX_BEFORE = [
  "less than", "lower than", "cheaper than", "no more than", "not more than", "not over", "no higher than", "up to",
  "at most", "under", "below", "within", "max", "maximum", "budget of", "budget is", "budget",
  "moins de", "moins que", "moins cher que", "moins chers que", "pas plus de", "pas plus que", "jusqu a", "jusqu au",
  "au maximum", "au plus", "maximum", "maxi", "inferieur a", "inferieurs a", "en dessous de", "au dessous de", "sous",
  "budget de", "budget max", "budget maximum",
];
const MIN_BEFORE = [
  "more than", "over", "above", "at least", "starting at", "starting from", "min", "minimum", "higher than",
  "more expensive than", "plus de", "plus que", "au moins", "a partir de", "superieur a", "superieurs a", "au dessus de",
  "minimum", "plus cher que", "plus chers que",
];
const AROUND_BEFORE = [
  "around", "about", "approximately", "approx", "roughly", "circa", "close to", "something like", "more or less",
  "environ", "autour de", "aux alentours de", "dans les", "vers les", "a peu pres", "aux environs de", "quelque chose comme",
];
const MAX_AFTER = ["max", "maximum", "maxi", "or less", "or under", "and under", "tops", "at most", "ou moins", "au plus", "au maximum", "maximum"];
const MIN_AFTER = ["or more", "and over", "and up", "and above", "minimum", "min", "ou plus", "et plus", "au moins", "minimum"];
const AROUND_AFTER = ["or so", "ish", "environ", "a peu pres", "approx", "approximately", "more or less", "plus ou moins"];
const RANGE_START = ["between", "entre", "from", "de", "du"];
const RANGE_JOIN = ["and", "et", "to", "a", "-", "–"];

const CHEAP = [
  "cheapest", "least expensive", "lowest price", "lowest priced", "cheap", "inexpensive", "affordable", "low cost", "budget friendly",
  "le moins cher", "la moins chere", "les moins chers", "les moins cheres", "moins cher", "moins chere", "moins chers", "moins cheres",
  "pas cher", "pas chere", "pas chers", "pas cheres", "bon marche", "petit prix", "petits prix", "prix bas",
];
const DEAR = [
  "most expensive", "priciest", "highest price", "highest priced", "top of the range", "high end",
  "le plus cher", "la plus chere", "les plus chers", "les plus cheres", "plus cher", "plus chere", "haut de gamme",
];
const IN_STOCK = ["in stock", "available now", "available", "en stock", "disponible", "disponibles", "dispo", "dispos"];

const CURRENCY_BEFORE = String.raw`(?:[€$£]\s*)?`;
const CURRENCY_AFTER = String.raw`(?:\s*(?:€|\$|£|euros?\b|eur\b|e\b|dollars?\b|usd\b|pounds?\b|gbp\b|chf\b|bucks\b|balles\b))?`;
const NUMBER = String.raw`(\d{1,7}(?:[.,]\d{1,2})?)`;
const AMOUNT = `${CURRENCY_BEFORE}${NUMBER}${CURRENCY_AFTER}`;
const HAS_CURRENCY = /[€$£]|euro|eur\b|\be\b|dollar|usd|pound|gbp|chf|bucks|balles/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+");
const alt = (words: string[]) => [...new Set(words)].sort((a, b) => b.length - a.length).map(escape).join("|");
const ARTICLE = String.raw`(?:(?:the|les|la|le|of|de|d|than|que|a)\s+)?`;

const before = (words: string[]) => new RegExp(String.raw`(?<![a-z0-9])(?:${alt(words)})\s*${ARTICLE}${AMOUNT}`, "g");
const after = (words: string[]) => new RegExp(String.raw`${AMOUNT}\s*(?:${alt(words)})(?![a-z0-9])`, "g");
const phrase = (words: string[]) => new RegExp(String.raw`(?<![a-z0-9])(?:${alt(words)})(?![a-z0-9])`, "g");

const RANGE_WORDS = new RegExp(
  String.raw`(?<![a-z0-9])(?:${alt(RANGE_START)})\s+${AMOUNT}\s*(?:${alt(RANGE_JOIN)})\s*${AMOUNT}`, "g");
const RANGE_BARE = new RegExp(String.raw`(?<![a-z0-9.,])${AMOUNT}\s*(?:-|–|to|a)\s*${AMOUNT}`, "g");

/** Reads price bounds, order and availability from a shopper's text. */
export function parseSearchConstraints(input: string, currency = "EUR"): SearchConstraints {
  const cents = (amount: string) => toMinorUnits(amount.replace(",", "."), currency);
  let text = ` ${foldText(input).replace(/[’']/g, " ")} `;
  const out: SearchConstraints = { text: "" };
  let min: number | undefined;
  let max: number | undefined;
  const take = (re: RegExp, fn: (m: RegExpExecArray) => boolean) => {
    text = text.replace(re, (...args) => {
      const m = args.slice(0, -2) as unknown as RegExpExecArray;
      return fn(m) ? " " : (m[0] as string);
    });
  };

  // Ranges first ("between 20 and 40", "de 30 à 50 €", "30-50 €": a bare range needs a currency).
  take(RANGE_WORDS, (m) => {
    // "between"/"entre" always speak of prices; "from 36 to 38" may be sizes unless priced.
    if (!/^(between|entre)/.test(m[0].trim()) && !HAS_CURRENCY.test(m[0])) return false;
    const a = cents(m[1]!), b = cents(m[2]!);
    min = Math.min(a, b);
    max = Math.max(a, b);
    return true;
  });
  take(RANGE_BARE, (m) => {
    if (!HAS_CURRENCY.test(m[0])) return false;
    const a = cents(m[1]!), b = cents(m[2]!);
    min = Math.min(a, b);
    max = Math.max(a, b);
    return true;
  });
  const around = (m: RegExpExecArray) => {
    const c = cents(m[1]!);
    const band = Math.round(c * AROUND_BAND);
    min = c - band;
    max = c + band;
    return true;
  };
  take(before(AROUND_BEFORE), around);
  take(after(AROUND_AFTER), around);
  take(before(MAX_BEFORE), (m) => ((max = cents(m[1]!)), true));
  take(after(MAX_AFTER), (m) => ((max = cents(m[1]!)), true));
  take(before(MIN_BEFORE), (m) => ((min = cents(m[1]!)), true));
  take(after(MIN_AFTER), (m) => ((min = cents(m[1]!)), true));

  take(phrase(CHEAP), () => ((out.sort ??= "price_asc"), true));
  take(phrase(DEAR), () => ((out.sort ??= "price_desc"), true));
  take(phrase(IN_STOCK), () => ((out.inStockOnly = true), true));

  if (min !== undefined && max !== undefined && min > max) [min, max] = [max, min];
  if (min !== undefined) out.minPrice = fromMinorUnits(min, currency);
  if (max !== undefined) out.maxPrice = fromMinorUnits(max, currency);
  out.text = text.replace(/\s+/g, " ").trim();
  return out;
}
