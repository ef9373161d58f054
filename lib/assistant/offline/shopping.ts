/**
 * The offline assistant's catalogue side: searches with filters (price bounds, sort, stock,
 * colour) that refine the conversation's last search, the product a message points at (named,
 * an ordinal of the last list, "the other one", "it"), and carts of several products with
 * quantities, asking which size or colour before checkout when a product has options.
 * The dialogue state (ctx.dialogue) is read and updated here; turn.ts saves it.
 */
import { getShop, type Product, type ProductSearch, type ProductVariant } from "../../shop/index.js";
import { compareDecimal } from "../../money/index.js";
import { addButton, addProducts, type TurnContext } from "../context.js";
import type { SearchFilters } from "../dialogue.js";
import { formatPrice } from "../../money/index.js";
import { button, productCard } from "../format.js";
import { texts } from "../texts.js";
import { createCheckoutLinkTool, isCatalogueOutage, showProduct, showProducts } from "../tools/index.js";
import { fold, frenchQuery, productQuery } from "./intents.js";
import { colourName, colourWords, type Reference } from "./understand.js";

/** ProductSearch with the filters the catalogue index takes (ignored by a catalogue that does not). */
export type FilteredSearch = ProductSearch & { minPrice?: string; maxPrice?: string; inStockOnly?: boolean; sort?: "relevance" | "price_asc" | "price_desc"; colour?: string };

/** Words of price phrases and filters: grammar, not product words. */
const FILTER_WORDS = new Set(
  `cher chere chers cheres cheap cheaper cheapest expensive priciest pricey dearest abordable abordables affordable couteux
   moins max maxi maximum minimum min budget euro euros eur balle balles buck bucks quid under below around about environ autour
   entre between less than more over above plus trop pas not too tops top range gamme prix price stock dispo disponible disponibles
   available taille pointure size idee idea quelque something truc trucs chose sort moin alentours vers jusqu upto up least most
   le la les the one ones un une offrir gift cadeau cadeaux present seulement uniquement only just existe exist exists
   autre autres other another premier premiere first deuxieme second troisieme third dernier derniere last celui celle ceux
   celles ci la ca this that it them those these en stock dispo version modele model fait fais font does make`.split(/\s+/),
);
/** A gift is a reason, not a product: "un cadeau à 40 €" searches everything under 40 €. */
const GIFT = /\b(cadeau|cadeaux|offrir|gift|present|idee|idea)\b/;

/** Product words of a message once filter words are removed. */
export function productWords(text: string, colour?: string): string {
  const q = productQuery(text)
    .split(" ")
    .filter((w) => w && !FILTER_WORDS.has(w) && !/^\d/.test(w));
  const colours = colour ? new Set(colourWords(colour)) : null;
  // A colour stays in the words only when it is not the filter ("robe noire" still names it).
  return q.filter((w) => !colours?.has(w)).join(" ");
}

export function describeFilters(ctx: TurnContext, f: SearchFilters, query: string): string {
  const t = texts(ctx.lang).filterWords;
  const money = (p: string) => formatPrice(p, ctx.services.config.stripe.currency.toUpperCase(), ctx.lang);
  const bits = [query ? `« ${query} »`.replace(/[«»]/g, ctx.lang === "fr" ? "$&" : '"').replace(/" /, '"').replace(/ "/, '"') : t.products];
  if (f.colour) bits.push(t.colour(colourName(f.colour, ctx.lang)));
  if (f.size) bits.push(t.size(f.size));
  if (f.minPrice && f.maxPrice) bits.push(t.between(money(f.minPrice), money(f.maxPrice)));
  else if (f.maxPrice) bits.push(t.under(money(f.maxPrice)));
  else if (f.minPrice) bits.push(t.over(money(f.minPrice)));
  if (f.inStock) bits.push(t.inStock);
  if (f.sort === "price_asc") bits.push(`(${t.cheapest})`);
  if (f.sort === "price_desc") bits.push(`(${t.dearest})`);
  return bits.join(" ");
}

const matchesColour = (p: Product, family: string) => {
  const words = new Set(fold(`${p.name} ${p.description} ${(p.variants ?? []).flatMap((v) => Object.values(v.choices)).join(" ")}`).split(/[^a-z]+/));
  return colourWords(family).some((w) => words.has(w));
};

/** The filters enforced on results, whatever the catalogue did with them: a card never breaks a bound. */
export function applyFilters(products: Product[], f: SearchFilters): Product[] {
  let out = products.filter(
    (p) =>
      (!f.maxPrice || compareDecimal(p.price, f.maxPrice) <= 0) &&
      (!f.minPrice || compareDecimal(p.price, f.minPrice) >= 0) &&
      (!f.inStock || p.inStock) &&
      (!f.colour || matchesColour(p, f.colour)),
  );
  if (f.sort) out = [...out].sort((a, b) => (f.sort === "price_asc" ? 1 : -1) * compareDecimal(a.price, b.price));
  return out;
}

async function rawSearch(ctx: TurnContext, query: string, f: SearchFilters): Promise<Product[]> {
  const shop = getShop(ctx.services);
  const search: FilteredSearch = {
    query,
    limit: 8,
    ...(f.minPrice ? { minPrice: f.minPrice } : {}),
    ...(f.maxPrice ? { maxPrice: f.maxPrice } : {}),
    ...(f.inStock ? { inStockOnly: true } : {}),
    ...(f.sort ? { sort: f.sort } : {}),
    ...(f.colour ? { colour: f.colour } : {}),
  };
  return shop.searchProducts(search);
}

/**
 * Catalogue search with filters: all the words, then (when nothing matches) the French words of
 * an English query, then each word alone. null when the catalogue is down.
 */
export async function findProducts(ctx: TurnContext, query: string, f: SearchFilters = {}): Promise<Product[] | null> {
  let found: Product[] = [];
  try {
    const fr = query ? frenchQuery(query) : null;
    // An English shopper's words are tried in French first when they translate ("basket" is also French for trainers).
    const tries = fr && fr !== query ? (ctx.lang === "en" ? [fr, query] : [query, fr]) : [query];
    const words = query.split(" ").filter((w) => w.length > 2);
    if (words.length > 1) tries.push(...words);
    for (const q of tries) {
      const r = applyFilters(await rawSearch(ctx, q, f), f);
      for (const p of r) if (!found.some((x) => x.id === p.id)) found.push(p);
      if (found.length && tries.indexOf(q) <= (fr && fr !== query ? 1 : 0)) break;
    }
    if (f.sort) found = applyFilters(found, { sort: f.sort });
  } catch (err) {
    if (!isCatalogueOutage(err)) throw err;
    ctx.draft.catalogueDown = true;
    ctx.draft.tools.push({ name: "search_products", status: "unavailable", args: { query, ...f } });
    return null;
  }
  ctx.draft.tools.push({ name: "search_products", status: found.length ? "ok" : "empty", args: { query, ...f } });
  return found;
}

export async function loadProduct(ctx: TurnContext, id: string): Promise<Product | null | "down"> {
  try {
    return await getShop(ctx.services).getProduct(id);
  } catch (err) {
    if (isCatalogueOutage(err)) {
      ctx.draft.catalogueDown = true;
      return "down";
    }
    throw err;
  }
}

export function listText(ctx: TurnContext, products: Product[]): string {
  const t = texts(ctx.lang);
  return products
    .slice(0, 5)
    .map((p, i) => `${products.length > 1 ? `${i + 1}. ` : ""}${t.line(p.name, formatPrice(p.price, p.currency, ctx.lang), p.inStock).replace(/^• /, "")}`)
    .join("\n");
}

/** Shows a list and remembers it as the last search. */
export function showList(ctx: TurnContext, products: Product[], query: string, f: SearchFilters, intro: string): string {
  showProducts(ctx, products);
  ctx.dialogue.search = { query, filters: f };
  ctx.dialogue.shown = products.slice(0, 5).map((p) => p.id);
  // The product whose name has every word asked for is the one in focus ("la bougie figue noire" among the bougies).
  ctx.dialogue.focus = products.length === 1 ? products[0]!.id : (query ? (singleMatch(products, query)?.id ?? null) : null);
  return `${intro}\n${listText(ctx, products)}`;
}

/** Padded trigrams of a word, as pg_trgm makes them ("  b", " bo", "bot", ...). */
function trigrams(w: string): Set<string> {
  const p = `  ${w} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= p.length; i++) out.add(p.slice(i, i + 3));
  return out;
}
function similarity(a: string, b: string): number {
  const x = trigrams(a);
  const y = trigrams(b);
  let common = 0;
  for (const t of x) if (y.has(t)) common++;
  return common / (x.size + y.size - common);
}

/**
 * Whether a result list answers the words at all: one product's name, collections or description
 * has a word close to one of the query's (or its French translation's) words. A fuzzy catalogue
 * always finds something; "il va pleuvoir demain ?" must not list espadrilles "cousues main".
 */
export function relevant(products: Product[], query: string): boolean {
  const words = [...new Set([...query.split(" "), ...(frenchQuery(query) ?? "").split(" ")])].filter((w) => w.length >= 3);
  if (!words.length) return true;
  return products.some((p) => {
    const text = new Set(fold(`${p.name} ${(p.collections ?? []).join(" ")} ${p.description}`).split(/[^a-z0-9]+/).filter((w) => w.length >= 3));
    return words.some((w) => [...text].some((t) => t === w || (w.length >= 4 && t.startsWith(w)) || similarity(w, t) >= 0.45));
  });
}

/** The one product a query names: the only result, or the only one whose name has every word. */
export function singleMatch(products: Product[], query: string): Product | null {
  if (products.length === 1) return products[0]!;
  const words = fold(query).split(/\s+/).filter(Boolean);
  const frWords = fold(frenchQuery(query) ?? "").split(/\s+/).filter(Boolean);
  const has = (p: Product, ws: string[]) => {
    const name = fold(p.name).split(/[^a-z0-9]+/);
    return ws.length > 0 && ws.every((w) => name.some((n) => n.startsWith(w) || (w.startsWith(n) && n.length >= 4)));
  };
  for (const ws of [words, frWords]) {
    const hits = products.filter((p) => has(p, ws));
    if (hits.length === 1) return hits[0]!;
  }
  // Most name words in common, when one product clearly wins.
  const score = (p: Product) => {
    const name = fold(p.name).split(/[^a-z0-9]+/);
    return [...words, ...frWords].filter((w) => w.length > 2 && name.some((n) => n.startsWith(w.slice(0, 5)))).length;
  };
  const ranked = products.map((p) => [p, score(p)] as const).sort((a, b) => b[1] - a[1]);
  if (ranked[0] && ranked[0][1] > 0 && ranked[0][1] > (ranked[1]?.[1] ?? 0)) return ranked[0][0];
  return null;
}

/** The product id a reference points at in the dialogue, or null. */
export function referred(ctx: TurnContext, ref: Reference | undefined): string | null {
  const { shown, focus } = ctx.dialogue;
  if (!ref) return null;
  if ("index" in ref) return (ref.index < 0 ? shown.at(ref.index) : shown[ref.index]) ?? null;
  if ("other" in ref) {
    if (shown.length === 2) return shown.find((id) => id !== focus) ?? shown[1]!;
    const at = focus ? shown.indexOf(focus) : -1;
    return shown[at + 1] ?? null;
  }
  return focus ?? (shown.length === 1 ? shown[0]! : null);
}

export type Resolved = { product: Product } | { candidates: Product[] } | { none: true } | { down: true };

/** The product a message is about: a reference to the dialogue, else named by its words. */
export async function resolveProduct(ctx: TurnContext, words: string, ref: Reference | undefined): Promise<Resolved> {
  const id = referred(ctx, ref) ?? (!words ? (ctx.dialogue.focus ?? (ctx.dialogue.shown.length === 1 ? ctx.dialogue.shown[0]! : null)) : null);
  if (id && (!words || (ref && !("focus" in ref)))) {
    const p = await loadProduct(ctx, id);
    if (p === "down") return { down: true };
    if (p) return { product: p };
  }
  if (!words) {
    const ids = ctx.dialogue.shown.slice(0, 5);
    if (!ids.length) return { none: true };
    const loaded = await Promise.all(ids.map((x) => loadProduct(ctx, x)));
    if (loaded.includes("down")) return { down: true };
    const products = loaded.filter((p): p is Product => !!p && p !== "down");
    return products.length === 1 ? { product: products[0]! } : products.length ? { candidates: products } : { none: true };
  }
  const products = await findProducts(ctx, words);
  if (products === null) return { down: true };
  if (!products.length) {
    // "I'll take it" with a product word that is only the category of the one in focus.
    if (id) {
      const p = await loadProduct(ctx, id);
      if (p && p !== "down") return { product: p };
    }
    return { none: true };
  }
  // A word that only repeats the focus's category ("je prends la robe") means the focus.
  if (id && products.some((p) => p.id === id) && !singleMatch(products, words)) {
    const p = products.find((x) => x.id === id)!;
    return { product: p };
  }
  const one = singleMatch(products, words);
  return one ? { product: one } : { candidates: products };
}

export function focusOn(ctx: TurnContext, p: Product): void {
  ctx.dialogue.focus = p.id;
  if (!ctx.dialogue.shown.includes(p.id)) ctx.dialogue.shown = [p.id];
}

// ---------------------------------------------------------------------------------------------
// Variants

/** Options with more than one value: the choices a shopper must make. */
const realOptions = (p: Product) => (p.options ?? []).filter((o) => o.choices.length > 1);

/** The option values a message names ("38", "taille 40", "en marine") for this product. */
export function choicesIn(p: Product, folded: string, size?: string): Record<string, string> {
  const out: Record<string, string> = {};
  const words = new Set(folded.split(/[^a-z0-9]+/));
  for (const o of realOptions(p)) {
    for (const c of o.choices) {
      const fc = fold(c);
      if (words.has(fc) || (fc.includes(" ") && folded.includes(fc)) || (size && fc.toUpperCase() === size)) out[o.name] = c;
    }
  }
  return out;
}

export function variantOf(p: Product, chosen: Record<string, string>): ProductVariant | null {
  const opts = realOptions(p);
  return (p.variants ?? []).find((v) => opts.every((o) => v.choices[o.name] === chosen[o.name])) ?? null;
}

/** Asks for the first option still to choose, with a button per value in stock. */
function askOption(ctx: TurnContext, p: Product, chosen: Record<string, string>): string {
  const t = texts(ctx.lang);
  const option = realOptions(p).find((o) => !chosen[o.name])!;
  const inStock = (c: string) =>
    (p.variants ?? []).some((v) => v.inStock && v.visible !== false && v.choices[option.name] === c && Object.entries(chosen).every(([k, x]) => v.choices[k] === x));
  const available = option.choices.filter(inStock);
  // Nothing left to choose from: the product is sold out, not a question.
  if (!available.length) return t.outOfStock(p.name);
  const soldOut = option.choices.filter((c) => !inStock(c));
  for (const c of available.slice(0, 6)) addButton(ctx.draft, button(c, `option:${p.id}:${option.name}=${c}`.slice(0, 200)));
  addProducts(ctx.draft, [productCard(p)]);
  return t.whichOption(p.name, option.name, `${available.join(", ")}${soldOut.length ? t.optionSoldOut(soldOut.join(", ")) : ""}`);
}

// ---------------------------------------------------------------------------------------------
// Buying

export interface CartLine { product: Product; quantity: number; chosen: Record<string, string> }

/**
 * Checkout for resolved lines: asks for a missing option first (the cart waits in the dialogue's
 * pending question), refuses a sold-out line, then one payment link for everything.
 */
export async function checkoutLines(ctx: TurnContext, lines: CartLine[], join: (p: string[]) => string): Promise<string> {
  const t = texts(ctx.lang);
  const items: { productId: string; quantity: number; variantId?: string }[] = [];
  for (const [i, l] of lines.entries()) {
    const opts = realOptions(l.product);
    if (opts.some((o) => !l.chosen[o.name])) {
      ctx.dialogue.pending = {
        kind: "variant",
        productId: l.product.id,
        quantity: l.quantity,
        chosen: l.chosen,
        others: [...items, ...lines.slice(i + 1).map((x) => ({ productId: x.product.id, quantity: x.quantity }))],
      };
      focusOn(ctx, l.product);
      return askOption(ctx, l.product, l.chosen);
    }
    const variant = opts.length ? variantOf(l.product, l.chosen) : null;
    if (opts.length && (!variant || !variant.inStock)) {
      focusOn(ctx, l.product);
      ctx.dialogue.pending = { kind: "variant", productId: l.product.id, quantity: l.quantity, chosen: {}, others: items };
      const choice = Object.values(l.chosen).join(" / ");
      return `${t.variantSoldOut(l.product.name, choice)}\n${askOption(ctx, l.product, Object.fromEntries(Object.entries(l.chosen).filter(([k]) => k !== opts.at(-1)!.name)))}`;
    }
    if (!l.product.inStock && !l.product.preorder) {
      addProducts(ctx.draft, [productCard(l.product)]);
      return t.outOfStock(l.product.name);
    }
    items.push({ productId: l.product.id, quantity: l.quantity, ...(variant ? { variantId: variant.id } : {}) });
  }
  return checkoutItems(ctx, items, join);
}

export async function checkoutItems(ctx: TurnContext, items: { productId: string; quantity: number; variantId?: string }[], join: (p: string[]) => string): Promise<string> {
  const t = texts(ctx.lang);
  ctx.dialogue.pending = null;
  const max = ctx.services.config.stripe.maxQuantity;
  for (const i of items) {
    const p = await loadProduct(ctx, i.productId);
    if (p && p !== "down") addProducts(ctx.draft, [productCard(p)]);
  }
  const input = { items: items.map((i) => ({ ...i, quantity: Math.min(i.quantity, max) })) };
  const result = await createCheckoutLinkTool(ctx, input);
  const trace = ctx.draft.tools.findLast((x) => x.name === "create_checkout_link");
  if (trace) trace.args = { items: input.items };
  const notes = ctx.draft.notes.splice(0);
  if (result.status === "invalid") return join([...notes, /stock/i.test(result.reason) ? t.checkoutFailed : t.checkoutFailed]);
  return join(notes.length ? notes : [t.checkoutFailed]);
}

/** A shown product with its buy button (details for the model tools' shape). */
export function showOne(ctx: TurnContext, p: Product): void {
  showProduct(ctx, p);
  focusOn(ctx, p);
}
