/**
 * Plays suite conversations through handleTurn (the same path as every channel: SQL memory,
 * model routing or the offline assistant, tools with their policies) one after the other on one
 * Services, checks each expectation, and measures latency and, for models, tokens per turn
 * (read back from the stored message's meta). Pure reporting: nothing here changes a reply.
 */
import { randomBytes } from "node:crypto";
import type { Services } from "../../services.js";
import { getShop } from "../../shop/index.js";
import type { Product } from "../../shop/types.js";
import { conversationTranscript } from "../conversation-store.js";
import { handleTurn } from "../turn.js";
import type { Reply } from "../types.js";
import { checkTurn, foldText, type ToolTrace } from "./checks.js";
import type { ConversationSpec, SuiteSpec } from "./suite.js";

export interface TurnRecord {
  user: string;
  reply: string;
  products: string[];
  provider: string;
  ms: number;
  tokens: { input: number; output: number } | null;
  tools: ToolTrace[];
  failures: string[];
}

export interface ConversationResult {
  suite: string;
  id: string;
  lang: "fr" | "en";
  topic: string;
  helpful: boolean;
  failures: string[];
  turns: TurnRecord[];
}

export interface EvalReport {
  model: string;
  startedAt: string;
  conversations: number;
  helpful: number;
  /** helpful / conversations, 0..1. */
  share: number;
  byLang: Record<string, { conversations: number; helpful: number }>;
  byTopic: Record<string, { conversations: number; helpful: number }>;
  latencyMs: { median: number; p90: number; max: number };
  tokensPerTurn: { input: number; output: number } | null;
  results: ConversationResult[];
}

/** The eval's configuration: the demo shop "Maison Lumière", no outside service unless a model is asked for. */
export const EVAL_ENV = { LOG_LEVEL: "silent", PUBLIC_BASE_URL: "http://localhost:3000", BRAND_NAME: "Maison Lumière" } as const;

const EMPTY: Reply = { text: "", products: [], buttons: [], links: [], handoff: false };

function pressed(reply: Reply, press: string): string | null {
  const exact = reply.buttons.find((b) => b.payload.startsWith(press));
  if (exact) return exact.payload;
  const want = foldText(press);
  return reply.buttons.find((b) => foldText(b.title).split(/[^a-z0-9]+/).includes(want) || foldText(b.title).includes(want))?.payload ?? null;
}

/** One conversation, turn by turn, as a new shopper on the web channel. */
export async function runConversation(services: Services, suite: string, c: ConversationSpec): Promise<ConversationResult> {
  const userId = `eval_${randomBytes(9).toString("base64url")}`;
  const caps = { maxPercent: services.config.coupons.maxPercent, maxFixedAmount: services.config.coupons.maxFixedAmount };
  const products = new Map<string, Promise<Product | null>>();
  const product = (id: string) => {
    let p = products.get(id);
    if (!p) products.set(id, (p = getShop(services).getProduct(id).catch(() => null)));
    return p;
  };
  const turns: TurnRecord[] = [];
  let last: Reply = EMPTY;
  let failures: string[] = [];
  for (const [i, t] of c.turns.entries()) {
    const payload = t.press !== undefined ? pressed(last, t.press) : null;
    if (t.press !== undefined && !payload) {
      failures.push(`turn ${i + 1}: no button "${t.press}" to press (${last.buttons.map((b) => b.title).join(" | ") || "none"})`);
      break;
    }
    const started = performance.now();
    const r = await handleTurn(services, {
      channel: "web",
      userId,
      messageId: `eval_${randomBytes(9).toString("base64url")}`,
      text: t.user ?? "",
      ...(payload ? { payload } : {}),
      language: c.lang,
    });
    const ms = Math.round(performance.now() - started);
    const meta = await lastMeta(services, r.conversationId);
    const tools = (meta?.tools as ToolTrace[] | undefined) ?? [];
    const turnFailures = t.expect
      ? (await checkTurn(t.expect, { reply: r.reply, tools, caps, product })).map((f) => `turn ${i + 1}: ${f}`)
      : [];
    failures = [...failures, ...turnFailures];
    const usage = meta?.usage as { input?: number; output?: number } | undefined;
    turns.push({
      user: t.user ?? `[${payload}]`,
      reply: r.reply.text,
      products: r.reply.products.map((p) => p.id),
      provider: r.provider,
      ms,
      tokens: usage ? { input: usage.input ?? 0, output: usage.output ?? 0 } : null,
      tools,
      failures: turnFailures,
    });
    last = r.reply;
  }
  return { suite, id: c.id, lang: c.lang, topic: c.topic, helpful: failures.length === 0, failures, turns };
}

async function lastMeta(services: Services, conversationId: string): Promise<Record<string, unknown> | null> {
  if (!conversationId) return null;
  const t = await conversationTranscript(services.store, conversationId, 1);
  const m = t?.messages.at(-1);
  return m && m.role === "assistant" ? m.meta : null;
}

const pct = (xs: number[], q: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** Every conversation of the suites, in sequence, on one Services. */
export async function runSuites(
  services: Services,
  suites: SuiteSpec[],
  o: { model: string; filter?: (c: ConversationSpec) => boolean; onResult?(r: ConversationResult): void },
): Promise<EvalReport> {
  const startedAt = new Date().toISOString();
  const results: ConversationResult[] = [];
  for (const s of suites) {
    for (const c of s.conversations) {
      if (o.filter && !o.filter(c)) continue;
      const r = await runConversation(services, s.name, c);
      results.push(r);
      o.onResult?.(r);
    }
  }
  const group = (key: (r: ConversationResult) => string) => {
    const out: Record<string, { conversations: number; helpful: number }> = {};
    for (const r of results) {
      const g = (out[key(r)] ??= { conversations: 0, helpful: 0 });
      g.conversations++;
      if (r.helpful) g.helpful++;
    }
    return out;
  };
  const turns = results.flatMap((r) => r.turns);
  const ms = turns.map((t) => t.ms);
  const withTokens = turns.filter((t) => t.tokens);
  const helpful = results.filter((r) => r.helpful).length;
  return {
    model: o.model,
    startedAt,
    conversations: results.length,
    helpful,
    share: results.length ? helpful / results.length : 0,
    byLang: group((r) => r.lang),
    byTopic: group((r) => r.topic.split("-")[0]!),
    latencyMs: { median: pct(ms, 0.5), p90: pct(ms, 0.9), max: Math.max(0, ...ms) },
    tokensPerTurn: withTokens.length
      ? {
          input: Math.round(withTokens.reduce((a, t) => a + t.tokens!.input, 0) / withTokens.length),
          output: Math.round(withTokens.reduce((a, t) => a + t.tokens!.output, 0) / withTokens.length),
        }
      : null,
    results,
  };
}

/** The report as plain-text tables: one line per conversation, then the totals. */
export function formatReport(r: EvalReport, o: { failuresOnly?: boolean } = {}): string {
  const lines: string[] = [];
  const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + " ".repeat(n - s.length));
  lines.push(`${pad("conversation", 38)} ${pad("lang", 4)} ${pad("topic", 22)} ${pad("turns", 5)} ${pad("ms", 6)} result`);
  for (const c of r.results) {
    if (o.failuresOnly && c.helpful) continue;
    const ms = c.turns.reduce((a, t) => a + t.ms, 0);
    lines.push(`${pad(c.id, 38)} ${pad(c.lang, 4)} ${pad(c.topic, 22)} ${pad(String(c.turns.length), 5)} ${pad(String(ms), 6)} ${c.helpful ? "helpful" : "NOT helpful"}`);
    for (const f of c.failures) lines.push(`    - ${f}`);
  }
  lines.push("");
  lines.push(summaryTable(r));
  return lines.join("\n");
}

/** The summary as a Markdown table (README, results). */
export function summaryTable(r: EvalReport): string {
  const share = (h: number, n: number) => (n ? `${((100 * h) / n).toFixed(1)} %` : "-");
  const rows = [
    "| Slice | Conversations | Helpful | Share |",
    "|---|---:|---:|---:|",
    `| **all (${r.model})** | ${r.conversations} | ${r.helpful} | **${share(r.helpful, r.conversations)}** |`,
    ...Object.entries(r.byLang).map(([k, v]) => `| ${k} | ${v.conversations} | ${v.helpful} | ${share(v.helpful, v.conversations)} |`),
    ...Object.entries(r.byTopic)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `| ${k} | ${v.conversations} | ${v.helpful} | ${share(v.helpful, v.conversations)} |`),
  ];
  const tokens = r.tokensPerTurn ? `, tokens per turn ${r.tokensPerTurn.input} in / ${r.tokensPerTurn.output} out` : "";
  return `${rows.join("\n")}\n\nLatency per turn: median ${r.latencyMs.median} ms, p90 ${r.latencyMs.p90} ms, max ${r.latencyMs.max} ms${tokens}.`;
}
