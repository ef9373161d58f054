/**
 * What a message says beyond its intent, read without a model: the constraints it puts on a
 * search (price bounds, cheapest/most expensive, in stock, a colour, a size), the item of the
 * last list it points at (ordinals, "the other one", pronouns), an order number, and a cart of
 * several products with quantities. Grammar, not phrasings: numbers next to money words, ordinal
 * forms, determiners; the few word lists are vocabularies (colours, number words), in both languages.
 */
import type { Lang } from "../language.js";
import type { SearchFilters } from "../dialogue.js";
import { fold } from "./intents.js";

// ---------------------------------------------------------------------------------------------
// Prices

const AMOUNT = String.raw`(\d{1,5}(?:[.,]\d{1,2})?)\s*(?:€|eur\b|euros?\b|e\b|balles\b|bucks\b|quid\b|\$|£)?`;
const CURRENCY_BEFORE = String.raw`(?:€|\$|£)\s*(\d{1,5}(?:[.,]\d{1,2})?)`;
const UNDER = String.raw`(?:moins de|en dessous de|en-dessous de|sous|max(?:imum)?|au plus|jusqu a|pas plus de|inferieur a|under|below|less than|max(?:imum)?|up to|at most|no more than|cheaper than|within|budget(?: de| of| is| d environ)?|pour)`;
const OVER = String.raw`(?:plus de|au moins|a partir de|minimum|superieur a|over|above|more than|at least|from)`;
const AROUND = String.raw`(?:autour de|environ|dans les|vers|aux alentours de|around|about|roughly|approx(?:imately)?|something like|~)`;
const BETWEEN = String.raw`(?:entre|between|de|from)\s+${AMOUNT}\s*(?:et|and|a|to|-)\s*${AMOUNT}`;

const dec = (s: string) => {
  const [i, f = ""] = s.replace(",", ".").split(".");
  return `${Number(i)}.${f.padEnd(2, "0").slice(0, 2)}`;
};
const times = (s: string, k: number) => (Math.round(Number(s) * 100 * k) / 100).toFixed(2);

/** A number is money when a currency or a price word is next to it, or a price preposition precedes it. */
export function priceFilters(folded: string): Pick<SearchFilters, "minPrice" | "maxPrice"> {
  const f = folded.replace(CURRENCY_BEFORE_RE, (_m, n: string) => `${n} €`);
  let m = new RegExp(BETWEEN).exec(f);
  if (m && (/€|eur|balles|bucks/.test(m[0]) || /\bentre|between/.test(m[0]))) {
    const [a, b] = [dec(m[1]!), dec(m[2]!)].sort((x, y) => Number(x) - Number(y));
    return { minPrice: a, maxPrice: b };
  }
  m = new RegExp(String.raw`\b${AROUND}\s+${AMOUNT}`).exec(f);
  if (m) return { minPrice: times(dec(m[1]!), 0.7), maxPrice: times(dec(m[1]!), 1.2) };
  m = new RegExp(String.raw`\b${UNDER}\s+${AMOUNT}`).exec(f);
  if (m && (isMoney(m[0]) || !/\bpour|within\b/.test(m[0]))) return { maxPrice: dec(m[1]!) };
  m = new RegExp(String.raw`\b${OVER}\s+${AMOUNT}`).exec(f);
  if (m && isMoney(m[0])) return { minPrice: dec(m[1]!) };
  m = new RegExp(String.raw`${AMOUNT}\s*(?:max|maximum|maxi|tops|or less|ou moins|grand max)\b`).exec(f);
  if (m && isMoney(m[0])) return { maxPrice: dec(m[1]!) };
  return {};
}
const CURRENCY_BEFORE_RE = new RegExp(CURRENCY_BEFORE, "g");
const isMoney = (s: string) => /€|\beur|euro|balles|bucks|quid|\$|£|\bbudget|\bprix|\bprice/.test(s) || /\d+[.,]\d{2}/.test(s) || /\bmax|under|moins de|below|less than|sous\b/.test(s);

// ---------------------------------------------------------------------------------------------
// Sort, stock

const CHEAP = /\b(le |la |les |the )?(moins cher\w*|plus abordable\w*|moins couteu\w*|cheapest|least expensive|most affordable|lowest price\w*|prix le plus bas|petit prix|pas cher\w*|cheap|budget|affordable|bon marche)\b/;
const DEAR = /\b(le |la |les |the )?(plus cher\w*|plus couteu\w*|most expensive|priciest|dearest|highest price\w*|haut de gamme|top of the range|le plus luxueu\w*|fanciest)\b/;
const CHEAPER = /\b(moins cher\w*|plus abordable|cheaper|less expensive|lower price|more affordable)\b/;
const IN_STOCK = /\b(en stock|disponible\w*|dispo|in stock|available|pas epuise\w*|not sold out)\b/;

export function sortOf(folded: string): SearchFilters["sort"] | undefined {
  if (DEAR.test(folded)) return "price_desc";
  if (CHEAP.test(folded) && !/\bpas (si|trop|tres) cher|\bnot (too|that|so) (cheap|expensive)/.test(folded)) return "price_asc";
  return undefined;
}

/** "cheaper" as a follow-up: below the price of what was shown. */
export const asksCheaper = (folded: string) => CHEAPER.test(folded) && !/\bmoins cher\w* (de|que)|cheaper than/.test(folded) && !CHEAP.test(folded.replace(CHEAPER, ""));
export const asksInStock = (folded: string) => IN_STOCK.test(folded);

// ---------------------------------------------------------------------------------------------
// Colours and sizes

/** Colour words, French and English, to the colour family the catalogue names them by. */
const COLOURS: Record<string, string[]> = {
  noir: ["noir", "noire", "noirs", "noires", "black"],
  blanc: ["blanc", "blanche", "blancs", "blanches", "white", "ecru", "creme", "cream", "ivoire", "ivory"],
  rouge: ["rouge", "rouges", "red", "cerise", "cherry", "bordeaux", "burgundy"],
  bleu: ["bleu", "bleue", "bleus", "bleues", "blue", "marine", "navy", "mariniere"],
  vert: ["vert", "verte", "verts", "vertes", "green", "kaki", "khaki"],
  gris: ["gris", "grise", "grises", "grey", "gray", "perle"],
  beige: ["beige", "beiges", "sable", "sand", "camel", "nude", "naturel", "natural"],
  marron: ["marron", "marrons", "brun", "brune", "brown", "cognac", "noisette", "hazelnut", "chocolat", "tan"],
  dore: ["dore", "doree", "dores", "dorees", "or", "gold", "golden"],
  rose: ["rose", "roses", "pink", "fuchsia"],
  jaune: ["jaune", "jaunes", "yellow", "moutarde", "mustard"],
  orange: ["orange", "terracotta", "rouille", "rust"],
  violet: ["violet", "violette", "purple", "lilas", "lilac", "lavande"],
};
const COLOUR_OF = new Map<string, string>(Object.entries(COLOURS).flatMap(([family, ws]) => ws.map((w) => [w, family] as const)));
// "or" (gold) is also the French conjunction, and "rose"/"lavande" also flowers/scents: only after "en"/"in".
const AMBIGUOUS = new Set(["or", "rose", "roses", "lavande", "orange", "naturel", "natural", "perle", "sable", "creme", "cream"]);

/** The colour family a message asks for ("en bleu", "a red one", "noire"), if any. */
export function colourOf(folded: string): string | undefined {
  const words = folded.split(/[^a-z]+/);
  for (const [i, w] of words.entries()) {
    const family = COLOUR_OF.get(w);
    if (!family) continue;
    if (AMBIGUOUS.has(w) && !/^(en|in|the|a|couleur|color|colour)$/.test(words[i - 1] ?? "")) continue;
    return family;
  }
  return undefined;
}

/** Every word that names a colour of this family (to match product names and variant choices). */
export const colourWords = (family: string) => COLOURS[family] ?? [family];

/** A colour family as a shopper reads it, in French and English. */
const COLOUR_NAMES: Record<string, [fr: string, en: string]> = {
  noir: ["noir", "black"], blanc: ["blanc", "white"], rouge: ["rouge", "red"], bleu: ["bleu", "blue"], vert: ["vert", "green"],
  gris: ["gris", "grey"], beige: ["beige", "beige"], marron: ["marron", "brown"], dore: ["doré", "gold"], rose: ["rose", "pink"],
  jaune: ["jaune", "yellow"], orange: ["orange", "orange"], violet: ["violet", "purple"],
};
export const colourName = (family: string, lang: Lang) => COLOUR_NAMES[family]?.[lang === "fr" ? 0 : 1] ?? family;

/** "taille 38", "en 38", "size 38", "pointure 39", "a 40", "in a 38", "du 37". */
export function sizeOf(folded: string): string | undefined {
  const m = /\b(?:taille|tailles|pointure|size|sz|t|en|in(?: a)?|du|a|an?|une?)\s*(3[2-9]|4[0-8]|xxs|xs|s|m|l|xl|xxl)\b/.exec(folded);
  return m?.[1]?.toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// References to what was shown

const ORDINALS: [RegExp, number][] = [
  [/\b(premier|premiere|1er|1ere|1re|first|1st)\b/, 0],
  [/\b(deuxieme|second|seconde|2e|2eme|2nd|2d)\b/, 1],
  [/\b(troisieme|third|3e|3eme|3rd)\b/, 2],
  [/\b(quatrieme|fourth|4e|4eme|4th)\b/, 3],
  [/\b(cinquieme|fifth|5e|5eme|5th)\b/, 4],
  [/\b(dernier|derniere|last|latter)\b/, -1],
  [/\b(numero|number|n|no|#)\s*([1-5])\b/, -2],
];

export type Reference = { index: number } | { other: true } | { focus: true };

/** An item of the last list ("la deuxième", "the last one", "n°2"), "the other one", or "it". */
export function referenceOf(folded: string): Reference | undefined {
  for (const [re, index] of ORDINALS) {
    const m = re.exec(folded);
    if (!m) continue;
    if (index === -2) return { index: Number(m[2]) - 1 };
    return { index };
  }
  if (/\b(l autre|les autres|the other|another one|other one)\b/.test(folded)) return { other: true };
  if (
    /\b(celui ci|celle ci|celui la|celle la|ce modele|cet article|ce produit|cette robe|ce sac|cette bougie|ces chaussures|this one|that one|this|that|it|them|those|these)\b/.test(folded) ||
    /\b(je (le|la|les|l)|le prendre|la prendre|les prendre|l acheter|la commander|le commander|la voir|le voir|en (taille|pointure|bleu|rouge|noir))\b/.test(folded)
  )
    return { focus: true };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Order numbers

/** "commande 1234", "order #1001", "n° 4821", "ma commande numéro 10023": 3 to 12 digits. */
export function orderNumberOf(text: string): string | undefined {
  const f = fold(text).replace(/n°/g, "no ");
  const m =
    /\b(?:commande|cde|cmd|order|ordre|colis|parcel|package)\b[^0-9\n]{0,25}?#?\s*([a-z]{0,3}-?\d{3,12})\b/.exec(f) ??
    /(?:^|\s)#\s*(\d{3,12})\b/.exec(f) ??
    /\b(?:numero|number|no)\s*#?\s*(\d{3,12})\b/.exec(f);
  return m?.[1]?.toUpperCase();
}

/** Where is my order / tracking, with or without a number. */
export const asksOrderStatus = (folded: string) =>
  /\b(ou en est|ou est|suivi|suivre|statut|status|where is|where s|track\w*|update on|any news|pas (encore )?(recu|arrive)\w*|not (yet )?(arrived|received|come)|hasn t (arrived|come)|still waiting|toujours pas|quand (vais je|est ce que je vais) recevoir|when will (i|it|my))\b/.test(folded) &&
  /\b(commande|colis|cde|order|parcel|package|paquet|livraison|delivery)\b/.test(folded);

// ---------------------------------------------------------------------------------------------
// Carts

const NUMBER_WORDS: Record<string, number> = {
  un: 1, une: 1, deux: 2, trois: 3, quatre: 4, cinq: 5, six: 6, sept: 7, huit: 8, neuf: 9, dix: 10,
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, seven: 7, eight: 8, nine: 9, ten: 10, couple: 2, paire: 1, pair: 1,
};

export interface CartPart { quantity: number; words: string }

/**
 * A message split into the products it lists, each with its quantity: "3 bougies feu de bois et
 * le diffuseur lavande" -> [{3, "bougies feu de bois"}, {1, "le diffuseur lavande"}]. A part is a
 * chunk between "et"/"and"/"+"/","/"avec"/"plus" that starts with a quantity or a determiner.
 */
export function cartParts(folded: string): CartPart[] {
  const cleaned = folded
    .replace(/[a-z0-9._%+-]+@[a-z0-9.-]+/g, " ")
    .replace(/\b(taille|pointure|size|en|in)\s*\d{2}\b/g, " ")
    .replace(/\d+([.,]\d+)?\s*(€|eur\w*|cm|ml|g|kg|%)/g, " ");
  const chunks = cleaned.split(/\s*(?:,|;|\+|\bet\b|\band\b|\bavec\b|\bplus\b|\bainsi que\b|\bas well as\b|&)\s*/).filter((c) => c.trim());
  const parts: CartPart[] = [];
  for (const chunk of chunks) {
    const m = /(?:^|\s)(?:x\s*)?(\d{1,3})\s*(?:x\s)?\s*(.*)$/.exec(chunk);
    let quantity = 1;
    let words = chunk;
    if (m && m[2]) {
      quantity = Number(m[1]);
      words = m[2];
    } else {
      const w = /(?:^|\s)(un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|a|an|one|two|three|four|five|seven|eight|nine|ten|couple of|paire de|pair of)\s+(.*)$/.exec(chunk);
      if (w) {
        quantity = NUMBER_WORDS[w[1]!.split(" ")[0]!] ?? 1;
        words = w[2]!;
      }
      const times = /\b(\d{1,3})\s*(?:fois|times|pieces|x)\b/.exec(chunk);
      if (times) quantity = Number(times[1]);
    }
    parts.push({ quantity: Math.max(1, Math.min(quantity, 1000)), words: words.trim() });
  }
  return parts;
}
