/**
 * Model routing: the Hugging Face router first, Gemini when HF fails or its breaker is open,
 * the offline assistant when both are down — against msw doubles with the vendors' real
 * shapes, tool-call rounds included. Asserts on what was sent as much as on what came back.
 */
import { delay, http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { newUser, rows, say } from "./harness.js";
import { HF_BASE, MODEL_ENV, geminiError, useEmbeddings, useGemini, useHfRouter } from "./model-doubles.js";

const server = useMsw();
const hf = useHfRouter(server);
const gemini = useGemini(server);
useEmbeddings(server);

const TOOL_NAMES = ["search_products", "get_product", "search_knowledge", "capture_lead", "offer_coupon", "create_checkout_link", "order_status", "handoff_to_human"];

let services: Services;
async function fresh(env: Record<string, string> = {}) {
  services = await createTestServices({ ...MODEL_ENV, OUTBOX_DIR: `/tmp/comptoir-test-outbox-models-${process.pid}`, ...env });
}
beforeEach(() => fresh());
afterEach(async () => services.store.close());

describe("Hugging Face router (OpenAI-compatible)", () => {
  it("answers through a tool-call round: the tool runs on the server and its result goes back as a tool message", async () => {
    hf.script({ calls: [{ name: "search_products", args: { query: "bougie" } }] }, { text: "Voici nos bougies parfumées, coulées à la main." });
    const r = await say(services, newUser(), "Vous avez des bougies ?");
    expect(r.provider).toBe("hf");
    expect(r.reply.text).toBe("Voici nos bougies parfumées, coulées à la main.");
    expect(r.reply.products.map((p) => p.id)).toContain("ml-bougie-figue-noire");
    expect(gemini.requests).toHaveLength(0);

    expect(hf.requests).toHaveLength(2);
    const [first, second] = hf.requests;
    expect(first!.headers.get("authorization")).toBe("Bearer hf_test_token");
    expect(first!.body.model).toBe("Qwen/Qwen2.5-7B-Instruct:fastest");
    expect(first!.body.tools.map((t: { function: { name: string } }) => t.function.name).sort()).toEqual([...TOOL_NAMES].sort());
    expect(first!.body.messages[0]).toMatchObject({ role: "system" });
    expect(first!.body.messages[0].content).toMatch(/Answer in French/);
    expect(first!.body.messages.at(-1)).toEqual({ role: "user", content: "Vous avez des bougies ?" });
    const toolMessage = second!.body.messages.find((m: { role: string }) => m.role === "tool");
    expect(toolMessage.tool_call_id).toBe(second!.body.messages.find((m: { tool_calls?: unknown }) => m.tool_calls).tool_calls[0].id);
    const toolResult = JSON.parse(toolMessage.content);
    expect(toolResult.status).toBe("ok");
    expect(toolResult.products.map((p: { id: string }) => p.id)).toContain("ml-bougie-figue-noire");
  });

  it("sends the recent history, bounded by tokens, and answers in the shopper's language", async () => {
    await fresh({ CHAT_HISTORY_TOKENS: "100" }); // about 400 characters
    const user = newUser();
    hf.script({ text: "A".repeat(300) }, { text: "B".repeat(300) }, { text: "Sure." });
    await say(services, user, "first question, long enough to count");
    await say(services, user, "second question");
    await say(services, user, "Do you ship to Canada?");
    const messages = hf.requests.at(-1)!.body.messages as { role: string; content: string }[];
    expect(messages[0]!.content).toMatch(/Answer in English/);
    const history = messages.slice(1, -1);
    expect(history.map((m) => m.content)).toEqual(["second question", "B".repeat(300)]);
    expect(history.reduce((n, m) => n + m.content.length, 0)).toBeLessThanOrEqual(400);
  });

  it("stops after CHAT_MAX_STEPS model calls and still answers with what the tools found", async () => {
    hf.fallback = { calls: [{ name: "search_products", args: { query: "robe" } }] };
    const r = await say(services, newUser(), "des robes ?");
    expect(hf.requests).toHaveLength(5);
    expect(r.reply.products.length).toBeGreaterThan(0);
    expect(r.reply.text).toMatch(/Robe en lin Sable — 89,00 €/);
  });

  it("streams text deltas when asked", async () => {
    hf.script({ calls: [{ name: "get_product", args: { productId: "ml-robe-lin-sable" } }] }, { text: "La robe en lin Sable coûte 89 € et elle est en stock." });
    const deltas: string[] = [];
    const r = await say(services, newUser(), "Et la robe en lin ?", { onTextDelta: (d) => deltas.push(d) });
    expect(hf.requests.every((q) => q.body.stream === true)).toBe(true);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(r.reply.text);
    expect(r.reply.text).toBe("La robe en lin Sable coûte 89 € et elle est en stock.");
    expect(r.reply.buttons.map((b) => b.payload)).toContain("buy:ml-robe-lin-sable");
  });

  it("answers a pressed button without calling any model", async () => {
    const r = await say(services, newUser(), "Robe", { payload: "details:ml-robe-lin-sable" });
    expect(r.provider).toBe("offline");
    expect(r.reply.products[0]?.id).toBe("ml-robe-lin-sable");
    expect(hf.requests).toHaveLength(0);
    expect(gemini.requests).toHaveLength(0);
  });
});

describe("fallback order", () => {
  it("goes to Gemini when the HF router answers 503, with function calls, thought signatures and function responses", async () => {
    gemini.script({ calls: [{ name: "search_products", args: { query: "robe" } }] }, { text: "Voici nos robes du moment." });
    const r = await say(services, newUser(), "Vous avez des robes ?");
    expect(r.provider).toBe("gemini");
    expect(r.reply.text).toBe("Voici nos robes du moment.");
    expect(r.reply.products.every((p) => /robe/i.test(p.name))).toBe(true);
    expect(hf.requests).toHaveLength(3); // the first attempt and two retries

    expect(gemini.requests).toHaveLength(2);
    const [first, second] = gemini.requests;
    expect(first!.url).toBe("https://gemini.test/v1beta/models/gemini-3.5-flash-lite:generateContent");
    expect(first!.headers.get("x-goog-api-key")).toBe("gemini-test-key");
    expect(first!.body.systemInstruction.parts[0].text).toMatch(/Answer in French/);
    expect(first!.body.tools[0].functionDeclarations.map((f: { name: string }) => f.name).sort()).toEqual([...TOOL_NAMES].sort());
    expect(first!.body.generationConfig.temperature).toBeUndefined();
    const replayed = second!.body.contents.find((c: { role: string }) => c.role === "model");
    expect(replayed.parts[0].functionCall).toMatchObject({ name: "search_products", args: { query: "robe" } });
    expect(replayed.parts[0].thoughtSignature).toMatch(/^CiQB-sig-/);
    const response = second!.body.contents.at(-1).parts[0].functionResponse;
    expect(response.name).toBe("search_products");
    expect(JSON.stringify(response.response)).toContain("ml-robe-lin-sable");
  });

  it("sends no request to HF while its breaker is open, and Gemini answers", async () => {
    await fresh({ HF_CB_FAILURE_THRESHOLD: "1", HF_CB_OPEN_MS: "60000", HTTP_RETRY_ATTEMPTS: "0" });
    gemini.fallback = { text: "Bonjour, que puis-je pour vous ?" };
    await say(services, newUser(), "Bonjour, une question");
    expect(hf.requests).toHaveLength(1);
    const states = await rows<{ name: string; state: string }>(services, "select name, state from app_breaker where name = 'hf'");
    expect(states).toEqual([{ name: "hf", state: "open" }]);

    const r = await say(services, newUser(), "Bonjour, autre question");
    expect(r.provider).toBe("gemini");
    expect(hf.requests).toHaveLength(1);
  });

  it("does not let a hanging HF eat the time Gemini needs", async () => {
    await fresh({ REQUEST_BUDGET_MS: "4000", HF_TIMEOUT_MS: "60000" });
    server.use(http.post(`${HF_BASE}/v1/chat/completions`, async () => {
      await delay(20_000);
      return HttpResponse.json({});
    }));
    gemini.script({ text: "Bonjour ! Que puis-je faire pour vous ?" });
    // Had HF used the whole budget, no time would be left for Gemini (the answer would be offline).
    const r = await say(services, newUser(), "Bonjour, une question");
    expect(r.provider).toBe("gemini");
  });

  it("answers with the offline assistant when both are down, whatever the failure", async () => {
    hf.fallback = "network";
    gemini.fallback = { status: 429, body: geminiError(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Generate Content API requests per day'") };
    const r = await say(services, newUser(), "vous avez des robes ?");
    expect(r.provider).toBe("offline");
    expect(r.reply.text).toMatch(/^Voici ce que j'ai trouvé pour « robe »/);
    expect(hf.requests.length).toBeGreaterThan(0);
    expect(gemini.requests.length).toBeGreaterThan(0);
  });

  it("never fails the request when both models are down: POST /api/chat answers 200 offline", async () => {
    const { POST } = await import("../../api/chat.js");
    const res = await POST(new Request("http://shop.test/api/chat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ message: "Bonjour" }) }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { reply: { text: string } };
    expect(body.reply.text).toMatch(/^Bonjour ! Je suis l'assistant/);
  });

  it("streams Gemini's answer when HF fails before streaming", async () => {
    hf.fallback = { status: 500, body: { error: "Internal Server Error" } };
    gemini.script({ text: "Bonjour ! Nous livrons en France en 2 à 4 jours." });
    const deltas: string[] = [];
    let resets = 0;
    const r = await say(services, newUser(), "Vous livrez en combien de temps ?", { onTextDelta: (d) => deltas.push(d), onReset: () => resets++ });
    expect(r.provider).toBe("gemini");
    expect(gemini.requests[0]!.url).toMatch(/:streamGenerateContent\?alt=sse$/);
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join("")).toBe(r.reply.text);
    expect(resets).toBe(0);
  });

  it("discards the streamed text when the HF stream breaks off mid-answer, and Gemini answers instead", async () => {
    hf.script({ partial: "Bien sûr, nous livr" });
    gemini.script({ text: "Nous livrons en 2 à 4 jours ouvrés." });
    const events: string[] = [];
    const r = await say(services, newUser(), "Vous livrez en combien de temps ?", { onTextDelta: (d) => events.push(d), onReset: () => events.push("<reset>") });
    expect(r.provider).toBe("gemini");
    expect(events[0]).toBe("Bien sûr, nous livr");
    expect(events.filter((e) => e === "<reset>")).toHaveLength(1);
    expect(events.slice(events.indexOf("<reset>") + 1).join("")).toBe("Nous livrons en 2 à 4 jours ouvrés.");
    expect(r.reply.text).toBe("Nous livrons en 2 à 4 jours ouvrés.");
  });
});
