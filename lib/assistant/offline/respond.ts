/**
 * The offline assistant: the zero-key default and the last resort when both models are down.
 * It reads the message (intents.ts) and calls the same tools as the model, then writes the
 * reply itself, in French or English: greetings, product search, price and stock, discount
 * offers, leads, checkout links, hand-off, knowledge-base answers, and a helpful fallback.
 * Buttons it offers (`buy:`, `details:`, `redeem:`, `search:`, `faq:`, `discount`, `human`) are
 * handled here too, with or without a model, when pressed.
 */
import { ApiError } from "../../errors.js";
import { isUnavailable } from "../../http/index.js";
import { redeemOffer } from "../../coupons/index.js";
import { getShop, type Product } from "../../shop/index.js";
import type { KbHit } from "../../kb/index.js";
import { addButton, addProducts, type TurnContext } from "../context.js";
import { formatPrice } from "../../money/index.js";
import { button, priceText, productCard } from "../format.js";
import { offerValue, texts } from "../texts.js";
import {
  captureLeadTool, createCheckoutLinkTool, handoffTool, isCatalogueOutage, knowledgeHits, offerCouponTool,
  showProduct, showProducts,
} from "../tools/index.js";
import { fold, frenchQuery, readMessage, type ReadMessage } from "./intents.js";

const takeNotes = (ctx: TurnContext): string[] => ctx.draft.notes.splice(0);
/** Text for the shop owner (notifications, offers): in the shop's language, not the shopper's. */
const ownerText = (ctx: TurnContext, fr: string, en: string) => (ctx.services.config.app.defaultLanguage === "fr" ? fr : en);
const join = (parts: (string | undefined | null)[]) => parts.filter(Boolean).join("\n\n");

/** Writes the reply to `text` (or to the pressed button) into ctx.draft; returns its text. */
export async function runOffline(ctx: TurnContext, text: string, payload?: string): Promise<string> {
  if (payload) {
    const handled = await handlePayload(ctx, payload);
    if (handled !== null) return handled;
  }
  const t = texts(ctx.lang);
  const msg = readMessage(text);
  const parts: string[] = [];
  if (msg.greeted && msg.kind !== "greeting") parts.push(ctx.lang === "fr" ? "Bonjour !" : "Hello!");

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
  parts.push(await answer(ctx, msg));
  return join(parts);
}

async function answer(ctx: TurnContext, msg: ReadMessage): Promise<string> {
  const t = texts(ctx.lang);
  switch (msg.kind) {
    case "human":
      await handoffTool(ctx, { reason: ownerText(ctx, "a demandé à parler à quelqu'un", "asked to talk to someone") });
      return join(takeNotes(ctx));
    case "discount":
      return discount(ctx);
    case "buy":
      return buy(ctx, msg);
    case "price":
    case "stock":
      return priceOrStock(ctx, msg);
    case "search":
      return search(ctx, msg.query, true);
    case "greeting":
      greetingButtons(ctx);
      return t.greeting(ctx.services.config.app.brandName);
    case "thanks":
      return t.thanks;
    case "bye":
      return t.bye;
    case "question":
      return question(ctx, msg);
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

/** Catalogue search, retried with French words for an English query on a French catalogue. */
async function findProducts(ctx: TurnContext, query: string): Promise<Product[] | null> {
  const shop = getShop(ctx.services);
  let found: Product[];
  try {
    found = await shop.searchProducts({ query, limit: 8 });
    const fr = !found.length && query ? frenchQuery(query) : null;
    if (fr && fr !== query) found = await shop.searchProducts({ query: fr, limit: 8 });
  } catch (err) {
    if (!isCatalogueOutage(err)) throw err;
    ctx.draft.catalogueDown = true;
    ctx.draft.tools.push({ name: "search_products", status: "unavailable" });
    return null;
  }
  ctx.draft.tools.push({ name: "search_products", status: found.length ? "ok" : "empty" });
  return found;
}

async function loadProduct(ctx: TurnContext, id: string): Promise<Product | null | "down"> {
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

/** The one product a query names: the only result, or the only one whose name has every word. */
function singleMatch(products: Product[], query: string): Product | null {
  if (products.length === 1) return products[0]!;
  const words = fold(query).split(/\s+/).filter(Boolean);
  const frWords = fold(frenchQuery(query) ?? "").split(/\s+/).filter(Boolean);
  const has = (p: Product, ws: string[]) => {
    const name = fold(p.name).split(/[^a-z0-9]+/);
    return ws.length > 0 && ws.every((w) => name.some((n) => n.startsWith(w) || w.startsWith(n) && n.length >= 4));
  };
  for (const ws of [words, frWords]) {
    const hits = products.filter((p) => has(p, ws));
    if (hits.length === 1) return hits[0]!;
  }
  return null;
}

function listText(ctx: TurnContext, products: Product[]): string {
  const t = texts(ctx.lang);
  return products.slice(0, 5).map((p) => t.line(p.name, formatPrice(p.price, p.currency, ctx.lang), p.inStock)).join("\n");
}

async function search(ctx: TurnContext, query: string, kbFallback: boolean): Promise<string> {
  const t = texts(ctx.lang);
  const products = await findProducts(ctx, query);
  if (products === null) return (kbFallback && (await kbAnswer(ctx, query))) || t.catalogueDown;
  if (!products.length) {
    const kb = kbFallback ? await kbAnswer(ctx, query) : null;
    if (kb) return kb;
    addButton(ctx.draft, button(t.button.products, "search:"));
    addButton(ctx.draft, button(t.button.human, "human"));
    return t.noResults(query);
  }
  showProducts(ctx, products);
  return `${t.searchResults(query)}\n${listText(ctx, products)}`;
}

/** The product a price/stock/buy question is about: named in it, or the one just shown. */
async function resolveProduct(ctx: TurnContext, query: string): Promise<{ product: Product } | { candidates: Product[] } | { none: true } | { down: true }> {
  if (!query) {
    const ids = ctx.lastProducts.slice(0, 3);
    if (!ids.length) return { none: true };
    const loaded = await Promise.all(ids.map((id) => loadProduct(ctx, id)));
    if (loaded.includes("down")) return { down: true };
    const products = loaded.filter((p): p is Product => !!p && p !== "down");
    if (products.length === 1) return { product: products[0]! };
    return products.length ? { candidates: products } : { none: true };
  }
  const products = await findProducts(ctx, query);
  if (products === null) return { down: true };
  if (!products.length) return { none: true };
  const one = singleMatch(products, query);
  return one ? { product: one } : { candidates: products };
}

async function priceOrStock(ctx: TurnContext, msg: ReadMessage): Promise<string> {
  const t = texts(ctx.lang);
  const r = await resolveProduct(ctx, msg.query);
  if ("down" in r) return t.catalogueDown;
  if ("none" in r) return msg.query ? t.noResults(msg.query) : t.whichProduct;
  if ("candidates" in r) {
    showProducts(ctx, r.candidates);
    return `${t.searchResults(msg.query)}\n${listText(ctx, r.candidates)}`;
  }
  const p = r.product;
  showProduct(ctx, p);
  return msg.kind === "stock" ? t.stock(p.name, p.inStock, priceText(p, ctx.lang)) : t.price(p.name, priceText(p, ctx.lang), p.inStock);
}

async function buy(ctx: TurnContext, msg: ReadMessage): Promise<string> {
  const t = texts(ctx.lang);
  const r = await resolveProduct(ctx, msg.query);
  if ("down" in r) return t.catalogueDown;
  if ("none" in r) return msg.query ? t.noResults(msg.query) : t.buyWhat;
  if ("candidates" in r) {
    addProducts(ctx.draft, r.candidates.slice(0, 5).map(productCard));
    for (const p of r.candidates.slice(0, 3)) if (p.inStock) addButton(ctx.draft, button(`${t.button.buy} · ${p.name}`, `buy:${p.id}`));
    return `${t.whichToBuy}\n${listText(ctx, r.candidates)}`;
  }
  return checkout(ctx, r.product, msg.quantity);
}

async function checkout(ctx: TurnContext, product: Product, quantity: number): Promise<string> {
  const t = texts(ctx.lang);
  addProducts(ctx.draft, [productCard(product)]);
  if (!product.inStock) return t.outOfStock(product.name);
  const max = ctx.services.config.stripe.maxQuantity;
  const result = await createCheckoutLinkTool(ctx, { items: [{ productId: product.id, quantity: Math.min(quantity, max) }] });
  const notes = takeNotes(ctx);
  if (result.status === "invalid") return join([...notes, /stock/i.test(result.reason) ? t.outOfStock(product.name) : t.checkoutFailed]);
  return join(notes.length ? notes : [t.checkoutFailed]);
}

const goodHit = (h: KbHit, tokens: number): boolean =>
  (h.similarity !== null && h.similarity >= 0.8) || h.fts_hits >= 2 || (tokens > 0 && h.fts_hits / tokens >= 0.5);

/** The best knowledge-base passage as an answer, or null when nothing fits. */
async function kbAnswer(ctx: TurnContext, query: string): Promise<string | null> {
  const hits = await knowledgeHits(ctx, query, 3);
  if (hits === null) return null;
  const tokens = Math.max(1, fold(query).split(/[^a-z0-9]+/).filter((w) => w.length >= 3).length);
  const best = hits.find((h) => goodHit(h, Math.min(tokens, 3)));
  ctx.draft.tools.push({ name: "search_knowledge", status: best ? "ok" : "empty" });
  if (!best) return null;
  const title = best.heading.split(" > ").pop() || best.heading;
  return `${texts(ctx.lang).kbIntro(title)}\n${trimPassage(best.content)}`;
}

function trimPassage(text: string, max = 700): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf(".\n"));
  return end > max / 2 ? cut.slice(0, end + 1) : `${cut.trimEnd()}…`;
}

async function question(ctx: TurnContext, msg: ReadMessage): Promise<string> {
  const t = texts(ctx.lang);
  const topical = /\b(livr|expedi|frais|colis|retour|rembours|echange|taille|pointure|paiement|paypal|facture|contact|horaire|adresse|boutique|atelier|entretien|commande|suivi|shipping|ship|deliver|return|refund|size|payment|hours|address|store|shop|care|order|track)/.test(fold(msg.query));
  if (topical || !msg.query) {
    const kb = await kbAnswer(ctx, msg.query || "");
    if (kb) return kb;
  }
  if (msg.query) {
    const products = await findProducts(ctx, msg.query);
    if (products?.length) {
      showProducts(ctx, products);
      return `${t.searchResults(msg.query)}\n${listText(ctx, products)}`;
    }
    if (!topical) {
      const kb = await kbAnswer(ctx, msg.query);
      if (kb) return kb;
    }
    if (products === null) return t.catalogueDown;
  }
  greetingButtons(ctx);
  return t.fallback;
}

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
      return checkout(ctx, p, 1);
    }
    case "details": {
      if (!arg) return null;
      const p = await loadProduct(ctx, arg);
      if (p === "down") return t.catalogueDown;
      if (!p) return t.productUnknown;
      showProduct(ctx, p);
      return t.product(p.name, priceText(p, ctx.lang), p.inStock, p.description);
    }
    case "redeem":
      return arg ? redeem(ctx, arg) : null;
    case "search":
      return search(ctx, arg.slice(0, 100), false);
    case "faq":
      return (await kbAnswer(ctx, arg.slice(0, 300))) ?? t.fallback;
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
