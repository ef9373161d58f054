/**
 * The checks of one turn: each expectation of the suite against what the shopper received (the
 * Reply) and what the turn did (the tools recorded in the stored message's meta). Returns the
 * failures as sentences; an empty list means the turn was helpful.
 */
import { compareDecimal } from "../../money/index.js";
import type { Product } from "../../shop/types.js";
import type { Reply } from "../types.js";
import type { ProductsExpect, TurnExpect } from "./suite.js";

export interface ToolTrace { name: string; status: string; args?: Record<string, unknown> }

export interface TurnObservation {
  reply: Reply;
  tools: ToolTrace[];
  /** Caps the coupon check compares with. */
  caps: { maxPercent: number; maxFixedAmount: number };
  /** Full products of the cards (collections for the category check). */
  product(id: string): Promise<Product | null>;
}

/** Lower case, accents folded, no-break and thin spaces as spaces, curly apostrophes straight. */
export function foldText(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u00a0\u202f\u2009]/g, " ")
    .replace(/[’`]/g, "'")
    .toLowerCase();
}

const money = (amount: string) => {
  const [int, dec = "00"] = amount.split(".");
  const d = dec.padEnd(2, "0");
  return [`${int},${d}`, `${int}.${d}`];
};

function sameValue(want: unknown, got: unknown): boolean {
  if (typeof want === "string" || typeof want === "number") return foldText(String(got ?? "")).trim() === foldText(String(want)).trim();
  if (Array.isArray(want)) return Array.isArray(got) && want.every((w, i) => sameValue(w, got[i]));
  if (want && typeof want === "object") return !!got && typeof got === "object" && Object.entries(want).every(([k, v]) => sameValue(v, (got as Record<string, unknown>)[k]));
  return want === got;
}

async function checkProducts(e: ProductsExpect, o: TurnObservation, fail: (m: string) => void): Promise<void> {
  const cards = o.reply.products;
  const ids = cards.map((c) => c.id);
  const list = ids.join(", ") || "none";
  if (e.count !== undefined && cards.length !== e.count) fail(`expected ${e.count} product cards, got ${cards.length} (${list})`);
  if (e.min !== undefined && cards.length < e.min) fail(`expected at least ${e.min} product cards, got ${cards.length} (${list})`);
  if (e.max !== undefined && cards.length > e.max) fail(`expected at most ${e.max} product cards, got ${cards.length} (${list})`);
  for (const id of e.someIds ?? []) if (!ids.includes(id)) fail(`expected product ${id} among the cards (${list})`);
  for (const id of e.noIds ?? []) if (ids.includes(id)) fail(`product ${id} should not be shown (${list})`);
  if (e.firstId && ids[0] !== e.firstId) fail(`expected ${e.firstId} first, got ${list}`);
  for (const c of cards) {
    if (e.maxPrice && compareDecimal(c.price, e.maxPrice) > 0) fail(`${c.id} costs ${c.price}, above ${e.maxPrice}`);
    if (e.minPrice && compareDecimal(c.price, e.minPrice) < 0) fail(`${c.id} costs ${c.price}, below ${e.minPrice}`);
    if (e.inStock && !c.inStock) fail(`${c.id} is out of stock`);
  }
  if (e.category) {
    const want = foldText(e.category);
    for (const c of cards) {
      const p = await o.product(c.id);
      const cols = (p?.collections ?? []).map(foldText);
      if (!cols.some((x) => x.includes(want))) fail(`${c.id} is not in a "${e.category}" collection (${cols.join(", ") || "none"})`);
    }
  }
}

/** The failures of one turn (empty: the turn met its expectations). */
export async function checkTurn(e: TurnExpect, o: TurnObservation): Promise<string[]> {
  const failures: string[] = [];
  const fail = (m: string) => failures.push(m);
  const text = foldText(o.reply.text);
  const short = o.reply.text.replace(/\s+/g, " ").slice(0, 160);

  for (const s of e.contains ?? []) if (!text.includes(foldText(s))) fail(`text lacks "${s}": "${short}"`);
  if (e.anyOf && !e.anyOf.some((s) => text.includes(foldText(s)))) fail(`text has none of ${JSON.stringify(e.anyOf)}: "${short}"`);
  for (const s of e.notContains ?? []) if (text.includes(foldText(s))) fail(`text should not contain "${s}": "${short}"`);
  if (e.matches && !new RegExp(e.matches, "i").test(text)) fail(`text does not match /${e.matches}/: "${short}"`);
  if (e.products) await checkProducts(e.products, o, fail);

  if (e.tool) {
    const calls = o.tools.filter((t) => t.name === e.tool!.name);
    if (!calls.length) fail(`tool ${e.tool.name} not called (called: ${o.tools.map((t) => t.name).join(", ") || "none"})`);
    else if (e.tool.args && !calls.some((c) => sameValue(e.tool!.args, c.args ?? {})))
      fail(`tool ${e.tool.name} called with ${JSON.stringify(calls.map((c) => c.args ?? {}))}, expected ${JSON.stringify(e.tool.args)}`);
  }
  if (e.handoff !== undefined && o.reply.handoff !== e.handoff) fail(e.handoff ? "not handed to a person" : "handed to a person");
  if (e.coupon === false && o.reply.coupon) fail("a coupon was offered");
  if (e.coupon && typeof e.coupon === "object") {
    const c = o.reply.coupon;
    if (!c) fail("no coupon offer (or cooldown note)");
    else if (c.type === "PERCENTAGE" && c.value > o.caps.maxPercent) fail(`coupon ${c.value}% above the ${o.caps.maxPercent}% cap`);
    else if (c.type === "FIXED_AMOUNT" && c.value > o.caps.maxFixedAmount) fail(`coupon ${c.value} above the ${o.caps.maxFixedAmount} cap`);
  }
  if (e.total && !money(e.total).some((m) => text.includes(m))) fail(`total ${e.total} not in "${short}"`);
  if (e.checkout !== undefined) {
    const prepared = o.reply.links.some((l) => l.kind === "checkout") || o.tools.some((t) => t.name === "create_checkout_link" && /created|payments_not_configured/.test(t.status));
    if (prepared !== e.checkout) fail(e.checkout ? "no checkout prepared" : "a checkout was prepared");
  }
  for (const b of e.buttons ?? []) {
    const want = foldText(b);
    if (!o.reply.buttons.some((x) => x.payload.startsWith(b) || foldText(x.title).includes(want)))
      fail(`no "${b}" button (${o.reply.buttons.map((x) => x.title).join(" | ") || "none"})`);
  }
  if (e.kb !== undefined) {
    const quoted = o.tools.some((t) => t.name === "search_knowledge" && t.status === "ok");
    if (quoted !== e.kb) fail(e.kb ? "no knowledge-base passage quoted" : "answered from the knowledge base");
  }
  return failures;
}
