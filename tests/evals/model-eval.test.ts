/**
 * The eval's model path in CI: the model suite (evals/model) played through handleTurn with the
 * Hugging Face router answered by a scripted double that behaves like an agent — it calls a tool
 * for the shopper's message, reads the tool's real result (the demo catalogue, the knowledge base,
 * the coupon and checkout policies) and answers from it. So the whole loop — tool call, server-side
 * tool, result back to the model, answer, notes, cards, tokens — runs end to end, as with a real model.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EVAL_ENV, formatReport, runSuites } from "../../lib/assistant/eval/run.js";
import { loadSuites } from "../../lib/assistant/eval/suite.js";
import { ensureDemoKnowledge } from "../../lib/kb/index.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { MODEL_ENV, useEmbeddings, useGemini, useHfRouter, type Step } from "../assistant/model-doubles.js";

const server = useMsw();
const hf = useHfRouter(server);
useGemini(server);
useEmbeddings(server);

type Message = { role: string; content: string | null; tool_calls?: { function: { name: string } }[] };

/** The double's behaviour: one tool per shopper message, then an answer written from the tool's result. */
function agent(body: { messages: Message[] }): Step {
  const messages = body.messages;
  const last = messages.at(-1)!;
  const user = String([...messages].reverse().find((m) => m.role === "user")?.content ?? "").toLowerCase();
  if (last.role === "tool") {
    const result = JSON.parse(String(last.content)) as Record<string, any>;
    const called = [...messages].reverse().find((m) => m.tool_calls)?.tool_calls?.[0]?.function.name;
    if (called === "search_products" && /\b(buy|acheter|take|prends)\b/.test(user) && result.products?.length) {
      const quantity = Number(/\b(\d+)\b/.exec(user)?.[1] ?? 1);
      return { calls: [{ name: "create_checkout_link", args: { items: [{ productId: result.products[0].id, quantity }] } }] };
    }
    if (result.passages?.length) return { text: String(result.passages[0].text).slice(0, 400) };
    if (result.products?.length) return { text: result.products.map((p: { name: string }) => p.name).join(", ") };
    return { text: result.status === "handed_off" ? "OK." : "Voilà." };
  }
  if (/\b(human|humain|conseill)/.test(user)) return { calls: [{ name: "handoff_to_human", args: { reason: "asked for a person" } }] };
  if (/(réduction|reduction|discount|promo)/.test(user)) return { calls: [{ name: "offer_coupon", args: { type: "PERCENTAGE", value: 90 } }] };
  if (/\b(ship|livr|retour|return|paiement|payment)/.test(user)) return { calls: [{ name: "search_knowledge", args: { query: user } }] };
  const query = /fig/.test(user) ? "bougie figue" : /(candle|bougie)/.test(user) ? "bougie" : /(dress|robe)/.test(user) ? "robe" : user.slice(0, 60);
  return { calls: [{ name: "search_products", args: { query } }] };
}

let services: Services;
beforeAll(async () => {
  services = await createTestServices({ ...EVAL_ENV, ...MODEL_ENV, GEMINI_API_KEY: "", OUTBOX_DIR: `/tmp/comptoir-test-outbox-model-eval-${process.pid}` });
  await ensureDemoKnowledge(services);
});
afterAll(async () => services.store.close());

describe("npm run eval, model path against a scripted double", () => {
  it("runs every model-suite conversation through the tool loop with the model answering, helpfully", { timeout: 300_000 }, async () => {
    hf.reactive = agent;
    const report = await runSuites(services, loadSuites(path.resolve("evals/model")), { model: "hf-double" });
    expect(report.share, formatReport(report, { failuresOnly: true })).toBe(1);
    const turns = report.results.flatMap((r) => r.turns);
    // Every turn was the model's (no silent offline fallback), with its tokens counted.
    expect(turns.map((t) => t.provider)).toEqual(turns.map(() => "hf"));
    for (const t of turns) expect(t.tokens?.input).toBeGreaterThan(0);
    expect(report.tokensPerTurn!.input).toBeGreaterThan(0);
    // Each tool result went back to the model before its answer: two calls per one-tool turn at least.
    expect(hf.requests.length).toBeGreaterThanOrEqual(2 * turns.length);
    expect(hf.requests.filter((r) => r.body.messages.some((m: Message) => m.role === "tool")).length).toBeGreaterThanOrEqual(turns.length);
  });
});
