/**
 * The offline assistant: the zero-key default and the last resort when both models are down.
 * It reads the message (intents.ts: what it asks; understand.ts: filters, references, carts,
 * order numbers), uses the dialogue state (the last list, the product in focus, the last search,
 * the pending question), calls the same tools as the model, and writes the reply itself in
 * French or English. Questions go to the knowledge base first when retrieval is confident, and
 * the answer quotes the sentences that answer, not the whole page.
 * Buttons it offers (`buy:`, `details:`, `option:`, `redeem:`, `search:`, `faq:`, `discount`,
 * `human`) are handled here too, with or without a model, when pressed.
 */
import { ApiError } from "../../errors.js";
import { isUnavailable } from "../../http/index.js";
import { redeemOffer } from "../../coupons/index.js";
import { answerKnowledge, conceptsOf, type KnowledgeAnswer } from "../../kb/index.js";
import { formatPrice } from "../../money/index.js";
import { addButton, type TurnContext } from "../context.js";
import { button, priceText } from "../format.js";
import { offerValue, texts } from "../texts.js";
import { captureLeadTool, handoffTool, offerCouponTool, showProduct } from "../tools/index.js";
import { fold, readMessage, type ReadMessage } from "./intents.js";
import { orderStatus } from "./orders.js";
import { colourName, colourWords } from "./understand.js";
import {
  applyFilters, checkoutItems, relevant, checkoutLines, choicesIn, describeFilters, findProducts, focusOn, loadProduct, productWords, referred,
  resolveProduct, showList, showOne, singleMatch, variantOf, type CartLine,
} from "./shopping.js";
import { asksCheaper, asksInStock, asksOrderStatus, cartParts, colourOf, orderNumberOf, priceFilters, referenceOf, sizeOf, sortOf } from "./understand.js";
import type { SearchFilters } from "../dialogue.js";

const takeNotes = (ctx: TurnContext): string[] => ctx.draft.notes.splice(0);
/** Text for the shop owner (notifications, offers): in the shop's language, not the shopper's. */
const ownerText = (ctx: TurnContext, fr: string, en: string) => (ctx.services.config.app.defaultLanguage === "fr" ? fr : en);
const join = (parts: (string | undefined | null)[]) => parts.filter(Boolean).join("\n\n");

/**
 * A knowledge-base hit answers the question when it matched at least this share of the
 * question's words (or this embedding similarity). Measured on evals/suite: see README "Assistant quality".
 */
export const KB_CONFIDENT = 0.5;
/** Below KB_CONFIDENT but still worth quoting when the message is clearly about a shop topic and nothing else fits. */
export const KB_TOPIC = 0.34;

/** Asking what is on sale (not for a code): discounted products. */
const ON_SALE = /\b(en promo(tion)?s?|en solde|les soldes|soldes|on sale|sale items|in the sale|reduced|discounted (items|products))\b/;
const ASKS_CODE = /\b(code|coupon|bon de reduction|voucher|remise|reduc\w*|discount code)\b/;

/** Information topics (shipping, returns, payment...): the message is a question for the knowledge base. */
const TOPIC = /\b(recevoir|recoi\w*|recu|receive\w*|valable\w*|valid\w*|validite|paquet\w* cadeau\w*|papier cadeau|gift ?wrap\w*|policy|politique|conditions|livr\w*|expedi\w*|envoi\w*|envoy\w*|frais|port|colis|transporteur|retour\w*|retourn\w*|renvo\w*|rembours\w*|echang\w*|guide des tailles|taille\w* (normalement|grand|petit)|taillent|pointure\w*|mesur\w*|paiement\w*|payer|paye|reglement|regler|cb|carte bancaire|visa|mastercard|paypal|apple pay|google pay|cheque\w*|plusieurs fois|3 ?x|3 fois|sans frais|facture\w*|contact\w*|joindre|telephone|email|mail|horaire\w*|ouvert\w*|ferme\w*|adresse|atelier|boutique|magasin|retrait|emballage|entretien|entretenir|laver|lave|lavage|nettoy\w*|repass\w*|bruler|brule|meche|douane\w*|suisse|belgique|allemagne|espagne|italie|luxembourg|pays bas|royaume uni|angleterre|international|etranger|newsletter|shipping|ship|ships|shipped|deliver\w*|postage|courier|parcel|return\w*|send (it )?back|refund\w*|money back|exchange\w*|size guide|sizing|run (small|large|big|true)|fit|payment\w*|pay|paying|instal\w*|split|klarna|invoice|receipt|contact|phone|call|email|e-mail|reach|hours|opening|open|closed|address|located|location|pick ?up|collect|click and collect|in store|in person|workshop|care|wash\w*|clean\w*|iron\w*|burn\w*|wick|customs|duties|abroad|international|uk|united kingdom|london|england|germany|belgium|switzerland|spain|italy|netherlands|europe|usa|canada|gift ?wrap\w*|wrapping|newsletter|damaged|broken|lost)\b/;

/** Writes the reply to `text` (or to the pressed button) into ctx.draft; returns its text. */
export async function runOffline(ctx: TurnContext, text: string, payload?: string): Promise<string> {
  if (payload) {
    const handled = await handlePayload(ctx, payload);
    if (handled !== null) return handled;
  }
  const t = texts(ctx.lang);
  const msg = readMessage(text);
  const folded = fold(text);
  const parts: string[] = [];
  if (msg.greeted && msg.kind !== "greeting") parts.push(t.hello(ctx.services.config.app.brandName));

  const pending = ctx.dialogue.pending;
  if (msg.email && pending?.kind === "order_email") {
    parts.push(await orderStatus(ctx, pending.orderNumber, msg.email));
    return join(parts);
  }
  if (msg.email) {
    const r = await captureLeadTool(ctx, {
      email: msg.email,
      ...(msg.name ? { name: msg.name } : {}),
      ...(msg.phone ? { phone: msg.phone } : {}),
      message: text.slice(0, 500),
    });
    parts.push(...takeNotes(ctx));
    if (r.status === "invalid") parts.push(t.leadInvalid);
    // "Mon email est marie@..." says nothing else.
    if (msg.kind === "question" || msg.kind === "thanks" || msg.kind === "greeting") return join(parts);
  }

  // The answer to a pending "which size?" ("38", "en 40", "la marine").
  if (pending?.kind === "variant" && msg.kind !== "human" && msg.kind !== "discount") {
    const r = await answerOption(ctx, folded);
    if (r !== null) return join([...parts, r]);
  }

  const orderNo = orderNumberOf(text);
  if (msg.kind !== "human" && (orderNo || asksOrderStatus(folded))) {
    // Without a number: how tracking works (the knowledge base), then the number is asked for.
    if (!orderNo) {
      const kb = await readKnowledge(ctx, text);
      if (kb?.answer && kb.confidence >= KB_CONFIDENT) parts.push(kbText(ctx, kb));
    }
    parts.push(await orderStatus(ctx, orderNo ?? null, msg.email ?? ctx.contactEmail ?? undefined));
    return join(parts);
  }

  parts.push(await answer(ctx, msg, text, folded));
  return join(parts);
}

async function answer(ctx: TurnContext, msg: ReadMessage, text: string, folded: string): Promise<string> {
  const t = texts(ctx.lang);
  switch (msg.kind) {
    case "human":
      await handoffTool(ctx, { reason: ownerText(ctx, "a demandé à parler à quelqu'un", "asked to talk to someone") });
      return join(takeNotes(ctx));
    case "discount":
      if (ON_SALE.test(folded) && !ASKS_CODE.test(folded)) return onSale(ctx);
      // "anything cheaper?" after a list refines it; a discount is asked for with other words.
      if (asksCheaper(folded) && !ASKS_CODE.test(folded) && (ctx.dialogue.search || ctx.dialogue.focus)) return understandQuery(ctx, msg, text, folded);
      return discount(ctx);
    case "buy":
      // "je peux payer en plusieurs fois ?": a question about paying, not a purchase.
      // A purchase names a product; "je peux payer en plusieurs fois ?" names none: it is a question.
      if (TOPIC.test(folded) && !referenceOf(folded)) {
        const named = productWords(msg.query);
        const r = named ? await resolveProduct(ctx, named, undefined) : null;
        if (!r || !("product" in r)) {
          const kb = await readKnowledge(ctx, text);
          if (kb?.answer && kb.answer.concepts > 0 && kb.confidence >= KB_CONFIDENT) return kbText(ctx, kb);
        }
      }
      return buy(ctx, text, folded);
    case "greeting":
      greetingButtons(ctx);
      return t.greeting(ctx.services.config.app.brandName);
    case "thanks":
      return t.thanks;
    case "bye":
      return t.bye;
    case "price":
    case "stock":
    case "search":
    case "question":
      return understandQuery(ctx, msg, text, folded);
    default: {
      const never: never = msg.kind;
      throw new Error(`unhandled intent ${String(never)}`);
    }
  }
}

function greetingButtons(ctx: TurnContext): void {
  const b = texts(ctx.lang).button;
  addButton(ctx.draft, button(b.products, "search:"));
  addButton(ctx.draft, button(b.discount, "discount"));
  addButton(ctx.draft, button(b.shipping, ctx.lang === "fr" ? "faq:délais et frais de livraison" : "faq:shipping and delivery times"));
  addButton(ctx.draft, button(b.human, "human"));
}

async function discount(ctx: TurnContext): Promise<string> {
  await offerCouponTool(ctx, { reason: ownerText(ctx, "réduction demandée dans le chat", "discount asked in the chat") });
  return join(takeNotes(ctx));
}

/** The discounted products (price below the price before). */
async function onSale(ctx: TurnContext): Promise<string> {
  const t = texts(ctx.lang);
  const found = await findProducts(ctx, "");
  if (found === null) return t.catalogueDown;
  const sale = found.filter((p) => p.originalPrice !== null);
  const list = sale.length ? sale : (await findProducts(ctx, ctx.lang === "fr" ? "soldes" : "sale")) ?? [];
  if (!list.length) return t.noResults(ctx.lang === "fr" ? "soldes" : "sale");
  return showList(ctx, list, "", {}, t.searchResults(""));
}

// ---------------------------------------------------------------------------------------------
// Knowledge base

interface KbRead { answer: KnowledgeAnswer | null; confidence: number; query: string }

async function readKnowledge(ctx: TurnContext, query: string): Promise<KbRead | null> {
  try {
    const answer = await answerKnowledge(ctx.services, { query, language: ctx.lang });
    return { answer, confidence: answer?.confidence ?? 0, query };
  } catch (err) {
    if (isUnavailable(err) || (err as Error)?.name === "StoreError") {
      ctx.services.log.warn("knowledge search failed", { error: (err as Error).message });
      return null;
    }
    throw err;
  }
}

function kbText(ctx: TurnContext, kb: KbRead): string {
  const { hit, quote } = kb.answer!;
  ctx.draft.tools.push({ name: "search_knowledge", status: "ok", args: { query: kb.query, source: hit.source, confidence: Number(kb.confidence.toFixed(2)) } });
  const title = hit.heading.split(" > ").pop() || hit.heading;
  return `${texts(ctx.lang).kbIntro(title)}\n${quote}`;
}

/** The knowledge base's answer when it is at least `min` confident, else null. */
async function kbAnswer(ctx: TurnContext, query: string, min = KB_CONFIDENT): Promise<string | null> {
  const kb = await readKnowledge(ctx, query);
  if (!kb?.answer || kb.confidence < min) {
    ctx.draft.tools.push({ name: "search_knowledge", status: kb ? "empty" : "unavailable", args: { query } });
    return null;
  }
  return kbText(ctx, kb);
}

// ---------------------------------------------------------------------------------------------
// Questions and searches

function filtersOf(folded: string): SearchFilters {
  const colour = colourOf(folded);
  const size = sizeOf(folded);
  const sort = sortOf(folded);
  return {
    ...priceFilters(folded),
    ...(sort ? { sort } : {}),
    ...(asksInStock(folded) ? { inStock: true } : {}),
    ...(colour ? { colour } : {}),
    ...(size ? { size } : {}),
  };
}

/**
 * Everything that is not an action: a product search (with filters, refining the last one), a
 * question about the product in focus or one of the last list, or a question for the knowledge base.
 */
async function understandQuery(ctx: TurnContext, msg: ReadMessage, text: string, folded: string): Promise<string> {
  const t = texts(ctx.lang);
  const filters = filtersOf(folded);
  const ref = referenceOf(folded);
  const words = productWords(msg.query, filters.colour);
  const topic = TOPIC.test(folded);
  const refId = referred(ctx, ref);

  // 1. A question about the shop (shipping, returns, payment, care...): the knowledge base first,
  //    when the passage covers the question's shop-information concepts confidently.
  const explicit = !!refId && !!ref && !("focus" in ref);
  if (!(refId && !words) && !explicit && (topic || conceptsOf(text).length > 0 || msg.kind === "question")) {
    const kb = await readKnowledge(ctx, text);
    const productish = words && !TOPIC.test(words);
    const a = kb?.answer;
    const confident = msg.kind === "search" ? !!a && a.concepts > 0 && a.confidence >= KB_CONFIDENT
      : !!a && ((topic && a.confidence >= KB_TOPIC && !productish) || ((topic || a.concepts > 0) && a.confidence >= KB_CONFIDENT));
    if (confident) return kbText(ctx, kb!);
  }

  // 2. About a product already on screen: "la deuxième", "the other one", "il existe en 38 ?", "how much is it".
  const cheaper = asksCheaper(folded);
  if (refId && (!words || (ref && "index" in ref)) && !cheaper) {
    const p = await loadProduct(ctx, refId);
    if (p === "down") return t.catalogueDown;
    if (p) return aboutProduct(ctx, msg, p, filters, folded);
  }

  // 3. A refinement of the last search: "en bleu", "moins cher", "in stock only", "under 50".
  const last = ctx.dialogue.search;
  const refines = !words && last && (cheaper || Object.keys(filters).length > 0);
  if (refines) {
    const f: SearchFilters = cheaper ? { ...(last.filters.inStock ? { inStock: true } : {}), ...filters } : { ...last.filters, ...filters };
    if (cheaper) {
      const base = ctx.dialogue.focus ?? ctx.dialogue.shown[0];
      const p = base ? await loadProduct(ctx, base) : null;
      if (p && p !== "down") f.maxPrice = below(p.price);
      f.sort = "price_desc";
    }
    if (f.size && !filters.size && !cheaper) delete f.size;
    return searchAndShow(ctx, last.query, f, cheaper);
  }

  // 4. Price or stock of a product named in the message, or in focus.
  if ((msg.kind === "price" || msg.kind === "stock") && !(filters.maxPrice || filters.minPrice || filters.sort)) {
    const r = await resolveProduct(ctx, words, ref);
    if ("down" in r) return t.catalogueDown;
    if ("product" in r) return aboutProduct(ctx, msg, r.product, filters, folded);
    if ("candidates" in r && !Object.keys(filters).length) return showList(ctx, r.candidates, words, {}, t.searchResults(words));
  }

  // 5. A product search: the words, the filters.
  if (words || Object.keys(filters).some((k) => k !== "size") || msg.kind === "search") {
    const gift = /\b(cadeau|cadeaux|offrir|gift|present)\b/.test(folded);
    if (words || gift || filters.maxPrice || filters.minPrice || filters.sort || filters.colour || filters.inStock) {
      const alternatives = folded.split(/\b(?:ou|or)\b/).map((x) => productWords(readMessage(x).query, filters.colour)).filter(Boolean);
      if (/\b(ou|or)\b/.test(folded) && alternatives.length > 1) return either(ctx, alternatives, filters);
      const r = await searchAndShow(ctx, words, filters, false, !topic && msg.kind !== "question");
      if (r) return r;
    }
  }

  // 6. Nothing on the catalogue side: the knowledge base at the lower bar, else help.
  const kb = await kbAnswer(ctx, text, topic ? KB_TOPIC : KB_CONFIDENT);
  if (kb) return kb;
  if (words && !topic && msg.kind !== "question") {
    greetingButtons(ctx);
    return t.noResults(words);
  }
  greetingButtons(ctx);
  return t.fallback;
}

/** "le cabas ou le panier ?": each alternative searched, the best match of each shown. */
async function either(ctx: TurnContext, alternatives: string[], f: SearchFilters): Promise<string> {
  const t = texts(ctx.lang);
  const shown: Product[] = [];
  for (const q of alternatives.slice(0, 4)) {
    const found = await findProducts(ctx, q, f);
    if (found === null) return t.catalogueDown;
    const one = found.length ? (singleMatch(found, q) ?? found[0]!) : null;
    if (one && !shown.some((p) => p.id === one.id)) shown.push(one);
  }
  if (!shown.length) return t.noResults(alternatives.join(" / "));
  return showList(ctx, shown, "", f, t.searchResults(alternatives.join(" / ")));
}

const below = (price: string) => {
  const cents = Math.round(Number(price) * 100) - 1;
  return (Math.max(0, cents) / 100).toFixed(2);
};

/** Search + show; when filters leave nothing, says so and shows the closest (without the failing filter). */
async function searchAndShow(ctx: TurnContext, query: string, f: SearchFilters, cheaper: boolean, allowEmpty = true): Promise<string> {
  const t = texts(ctx.lang);
  let found = await findProducts(ctx, query, f);
  if (found === null) return t.catalogueDown;
  // A message that is not a request for products ("il va pleuvoir demain ?") only shows products that match its words.
  if (!allowEmpty && query && !relevant(found, query)) found = [];
  const what = describeFilters(ctx, f, query);
  if (found.length) {
    const sized = f.size ? await withSize(ctx, found, f.size) : found;
    const intro = Object.keys(f).length ? t.filtered(what) : t.searchResults(query);
    if (sized.length) return showList(ctx, sized, query, f, intro);
  }
  if (f.colour && query) {
    // Words that name products, none of them in the colour ("une robe rouge" and no red dress):
    // say so and show those products, rather than other products in the colour.
    const withoutColour: SearchFilters = { ...f, colour: undefined };
    const byWords = await findProducts(ctx, query, withoutColour);
    if (byWords === null) return t.catalogueDown;
    if (byWords.length && relevant(byWords, query)) return showList(ctx, byWords, query, withoutColour, t.noneInColour(query, colourName(f.colour, ctx.lang)));
    // A colour and words that name nothing: the colour alone ("something gold for a night out").
    for (const w of colourWords(f.colour).slice(0, 6)) {
      const byColour = await findProducts(ctx, w, withoutColour);
      const hits = byColour ? applyFilters(byColour, { colour: f.colour }) : [];
      if (hits.length) return showList(ctx, hits, "", f, t.filtered(describeFilters(ctx, f, "")));
    }
  }
  if (!allowEmpty) return "";
  if (cheaper) {
    const p = ctx.dialogue.focus ? await loadProduct(ctx, ctx.dialogue.focus) : null;
    if (p && p !== "down") return t.noneCheaper(p.name);
  }
  // The closest: the same words without the price bound (or without any filter).
  const relaxed: SearchFilters = { ...(f.sort ? { sort: f.sort } : { sort: "price_asc" as const }) };
  const near = query || f.colour ? await findProducts(ctx, query, f.colour && query ? { colour: f.colour } : relaxed) : null;
  if (near?.length) return showList(ctx, near, query, relaxed, t.noneMatch(what.replace(/^« [^»]+» |^"[^"]+" /, "")));
  if (!query) return "";
  return t.noResults(query);
}

/** The products that have the size in stock (those without sizes are left out). */
async function withSize(ctx: TurnContext, products: Product[], size: string): Promise<Product[]> {
  const out: Product[] = [];
  for (const p of products.slice(0, 8)) {
    const full = await loadProduct(ctx, p.id);
    if (!full || full === "down") continue;
    if ((full.variants ?? []).some((v) => v.inStock && Object.values(v.choices).some((c) => c.toUpperCase() === size))) out.push(full);
  }
  return out;
}

/** Price, stock, a size or colour, or the details of one product. */
async function aboutProduct(ctx: TurnContext, msg: ReadMessage, p: Product, f: SearchFilters, folded: string): Promise<string> {
  const t = texts(ctx.lang);
  showOne(ctx, p);
  const chosen = choicesIn(p, folded, f.size);
  if (Object.keys(chosen).length) {
    const v = variantOf(p, chosen) ?? (p.variants ?? []).find((x) => Object.entries(chosen).every(([k, c]) => x.choices[k] === c));
    if (v) return t.variantAvailable(p.name, Object.values(chosen).join(" / "), v.inStock);
  }
  if (msg.kind === "stock") return t.stock(p.name, p.inStock, priceText(p, ctx.lang));
  if (msg.kind === "price") return t.price(p.name, priceText(p, ctx.lang), p.inStock);
  return t.product(p.name, priceText(p, ctx.lang), p.inStock, p.description);
}

// ---------------------------------------------------------------------------------------------
// Buying

const BUY_WORDS = /\b(je (le|la|les|l) (prends|veux|achete|commande)|je prends|je vais prendre|je voudrais|j aimerais|je veux|acheter|achete|commander|commande|ajouter? au panier|ajoute|mettez|mets moi|payer|buy|purchase|i ll take|i will take|i d like|i would like|i want|add (it )?to (my )?(cart|basket)|add|checkout|pay for|order|get me|please|svp|stp|s il vous plait)\b/g;

async function buy(ctx: TurnContext, text: string, folded: string): Promise<string> {
  const t = texts(ctx.lang);
  const ref = referenceOf(folded);
  const size = sizeOf(folded);
  const parts = cartParts(folded.replace(BUY_WORDS, " ").replace(/\s+/g, " ").trim());
  const named = parts.map((p) => ({ ...p, q: productWords(p.words) })).filter((p) => p.q);

  // One product: named, or the one the message points at ("je prends la deuxième", "I'll take it").
  if (named.length <= 1) {
    const quantity = named[0]?.quantity ?? parts.find((p) => p.quantity > 1)?.quantity ?? 1;
    const r = await resolveProduct(ctx, named[0]?.q ?? "", ref);
    if ("down" in r) return t.catalogueDown;
    if ("none" in r) return named[0] ? t.noResults(named[0].q) : t.buyWhat;
    if ("candidates" in r) {
      showList(ctx, r.candidates, named[0]?.q ?? "", {}, t.whichToBuy);
      for (const p of r.candidates.slice(0, 3)) if (p.inStock) addButton(ctx.draft, button(`${t.button.buy} · ${p.name}`, `buy:${p.id}`));
      return `${t.whichToBuy}\n${r.candidates.slice(0, 5).map((p, i) => `${i + 1}. ${p.name} — ${formatPrice(p.price, p.currency, ctx.lang)}`).join("\n")}`;
    }
    const full = await loadProduct(ctx, r.product.id);
    const product = full && full !== "down" ? full : r.product;
    return checkoutLines(ctx, [{ product, quantity, chosen: choicesIn(product, folded, size) }], join);
  }

  // Several products with their quantities: each must be found, unambiguously.
  const lines: CartLine[] = [];
  for (const part of named) {
    const found = await findProducts(ctx, part.q);
    if (found === null) return t.catalogueDown;
    if (!found.length) return t.noResults(part.q);
    const one = singleMatch(found, part.q);
    if (!one) {
      // Never a guess in a cart: which one of these?
      showList(ctx, found, part.q, {}, t.whichToBuy);
      for (const p of found.slice(0, 3)) if (p.inStock) addButton(ctx.draft, button(`${t.button.buy} · ${p.name}`, `buy:${p.id}`));
      return `${t.whichToBuy}\n${found.slice(0, 5).map((p, i) => `${i + 1}. ${p.name} — ${formatPrice(p.price, p.currency, ctx.lang)}`).join("\n")}`;
    }
    const full = await loadProduct(ctx, one.id);
    const product = full && full !== "down" ? full : one;
    lines.push({ product, quantity: part.quantity, chosen: choicesIn(product, fold(part.words), sizeOf(fold(part.words))) });
  }
  return checkoutLines(ctx, lines, join);
}

/** A reply to "which size?": the chosen value, then the checkout (or the next option). */
async function answerOption(ctx: TurnContext, folded: string): Promise<string | null> {
  const pending = ctx.dialogue.pending;
  if (pending?.kind !== "variant") return null;
  const p = await loadProduct(ctx, pending.productId);
  if (!p || p === "down") return null;
  const chosen = { ...pending.chosen, ...choicesIn(p, folded, sizeOf(folded) ?? (/^\s*(\d{2})\s*$/.exec(folded)?.[1] ?? undefined)) };
  if (Object.keys(chosen).length === Object.keys(pending.chosen).length) return null;
  const others = pending.others;
  ctx.dialogue.pending = null;
  return continueCart(ctx, p, pending.quantity, chosen, others);
}

async function continueCart(
  ctx: TurnContext,
  p: Product,
  quantity: number,
  chosen: Record<string, string>,
  others: { productId: string; quantity: number; variantId?: string }[],
): Promise<string> {
  const line: CartLine = { product: p, quantity, chosen };
  const before = others.filter((o) => o.variantId || o.productId !== p.id);
  const r = await checkoutLines(ctx, [line], (x) => x.join("\n\n"));
  // checkoutLines either asked again (pending set) or produced the checkout of this one line: redo with the others.
  if (ctx.dialogue.pending || !before.length) {
    if (ctx.dialogue.pending?.kind === "variant") ctx.dialogue.pending.others = before;
    return r;
  }
  const v = variantOf(p, chosen);
  ctx.draft.notes.splice(0);
  ctx.draft.links.splice(0);
  return checkoutItems(ctx, [...before, { productId: p.id, quantity, ...(v ? { variantId: v.id } : {}) }], join);
}

// ---------------------------------------------------------------------------------------------
// Buttons

/** Button presses. null: not a payload this assistant knows (the text is read instead). */
async function handlePayload(ctx: TurnContext, payload: string): Promise<string | null> {
  const t = texts(ctx.lang);
  const [kind, ...rest] = payload.split(":");
  const arg = rest.join(":").trim();
  switch (kind) {
    case "buy": {
      if (!arg) return null;
      const p = await loadProduct(ctx, arg);
      if (p === "down") return t.catalogueDown;
      if (!p) return t.productUnknown;
      focusOn(ctx, p);
      return checkoutLines(ctx, [{ product: p, quantity: 1, chosen: {} }], join);
    }
    case "option": {
      // option:<productId>:<Option>=<value>
      const at = arg.lastIndexOf(":");
      const [name, value] = arg.slice(at + 1).split("=");
      const p = at > 0 ? await loadProduct(ctx, arg.slice(0, at)) : null;
      if (p === "down") return t.catalogueDown;
      if (!p || !name || !value) return t.productUnknown;
      const pending = ctx.dialogue.pending?.kind === "variant" && ctx.dialogue.pending.productId === p.id ? ctx.dialogue.pending : null;
      ctx.dialogue.pending = null;
      return continueCart(ctx, p, pending?.quantity ?? 1, { ...(pending?.chosen ?? {}), [name]: value }, pending?.others ?? []);
    }
    case "details": {
      if (!arg) return null;
      const p = await loadProduct(ctx, arg);
      if (p === "down") return t.catalogueDown;
      if (!p) return t.productUnknown;
      showProduct(ctx, p);
      focusOn(ctx, p);
      return t.product(p.name, priceText(p, ctx.lang), p.inStock, p.description);
    }
    case "redeem":
      return arg ? redeem(ctx, arg) : null;
    case "search": {
      const q = arg.slice(0, 100);
      const found = await findProducts(ctx, q);
      if (found === null) return t.catalogueDown;
      return found.length ? showList(ctx, found, q, {}, t.searchResults(q)) : t.noResults(q);
    }
    case "faq":
      return (await kbAnswer(ctx, arg.slice(0, 300), KB_TOPIC)) ?? t.fallback;
    case "discount":
      return discount(ctx);
    case "human":
      await handoffTool(ctx, { reason: ownerText(ctx, "a appuyé sur « Parler à un humain »", "pressed \"Talk to a human\"") });
      return join(takeNotes(ctx));
    default:
      return null;
  }
}

/** "Get my code": the offer made in the conversation becomes a real coupon, exactly once. */
async function redeem(ctx: TurnContext, offerId: string): Promise<string> {
  const t = texts(ctx.lang);
  if (!/^off_[A-Za-z0-9_-]{10,60}$/.test(offerId)) return t.redeemUnknown;
  try {
    const { coupon } = await redeemOffer(ctx.services, offerId, { waitMs: 3000 });
    ctx.draft.tools.push({ name: "redeem_offer", status: "ok" });
    const currency = ctx.services.config.stripe.currency.toUpperCase();
    return t.redeemed(coupon.code, offerValue(coupon.type, coupon.value, currency, ctx.lang), t.date(coupon.expiresAt));
  } catch (err) {
    ctx.draft.tools.push({ name: "redeem_offer", status: "failed" });
    if (err instanceof ApiError) {
      if (err.code === "not_found") return t.redeemUnknown;
      if (err.code === "gone") return t.redeemGone;
      if (err.code === "conflict") return t.redeemBusy;
    }
    if (isUnavailable(err) || (err as Error)?.name === "StoreError") return t.offerUnavailable;
    throw err;
  }
}

type Product = import("../../shop/index.js").Product;
