/**
 * msw doubles of the two model APIs, with their real shapes (FACTS.md §4, §5):
 *   - the Hugging Face router, OpenAI-compatible `POST /v1/chat/completions` (a chat.completion
 *     with `tool_calls` whose `arguments` is a JSON string; SSE `chat.completion.chunk` lines
 *     ending with `data: [DONE]` when the request says `"stream": true`);
 *   - Gemini `POST /models/{model}:generateContent` (candidates with `functionCall` parts that
 *     carry a `thoughtSignature`) and `:streamGenerateContent?alt=sse`;
 *   - HF feature extraction (`/hf-inference/models/{model}/pipeline/feature-extraction`) with
 *     deterministic fake embeddings (see fakeEmbedding).
 * Each double answers from a script (one entry per model call) and records every request; it is
 * reset and (re)installed before each test (useMsw resets handlers after each one).
 */
import { http, HttpResponse } from "msw";
import type { SetupServer } from "msw/node";
import { beforeEach } from "vitest";

export const HF_BASE = "https://hf.test";
export const GEMINI_BASE = "https://gemini.test/v1beta";
export const MODEL_ENV = {
  HF_TOKEN: "hf_test_token",
  HF_BASE_URL: HF_BASE,
  HF_MODEL: "Qwen/Qwen2.5-7B-Instruct:fastest",
  GEMINI_API_KEY: "gemini-test-key",
  GEMINI_BASE_URL: GEMINI_BASE,
  GEMINI_MODEL: "gemini-3.5-flash-lite",
  HTTP_RETRY_BASE_DELAY_MS: "1",
  HTTP_RETRY_MAX_DELAY_MS: "5",
} as const;

export type Call = { name: string; args: Record<string, unknown> };
export type Step =
  | { text: string }
  | { calls: Call[]; text?: string }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** HF streaming only: sends this text, then the connection breaks. */
  | { partial: string }
  | "network";

// ---------------------------------------------------------------------------------------------
// Hugging Face router (OpenAI chat completions)

let seq = 0;
const completion = (message: Record<string, unknown>, finish: string) => ({
  id: `chatcmpl-${++seq}`,
  object: "chat.completion",
  created: 1764000000,
  model: "Qwen/Qwen2.5-7B-Instruct",
  choices: [{ index: 0, finish_reason: finish, message: { role: "assistant", ...message } }],
  usage: { prompt_tokens: 120, completion_tokens: 18, total_tokens: 138 },
});

type Ok = Exclude<Step, "network" | { status: number } | { partial: string }>;

function hfBody(step: Ok) {
  if ("calls" in step) {
    return completion(
      {
        content: step.text ?? null,
        tool_calls: step.calls.map((c) => ({ id: `call_${++seq}`, type: "function", function: { name: c.name, arguments: JSON.stringify(c.args) } })),
      },
      "tool_calls",
    );
  }
  return completion({ content: step.text }, "stop");
}

function sse(chunks: unknown[], done = true): Response {
  const text = chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join("") + (done ? "data: [DONE]\n\n" : "");
  return new Response(text, { headers: { "content-type": "text/event-stream" } });
}

function brokenStream(text: string): Response {
  const chunk = { id: `chatcmpl-${++seq}`, object: "chat.completion.chunk", created: 1764000000, model: "Qwen/Qwen2.5-7B-Instruct", choices: [{ index: 0, delta: { role: "assistant", content: text }, finish_reason: null }] };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(`data: ${JSON.stringify(chunk)}\n\n`));
      setTimeout(() => controller.error(new Error("connection reset")), 5);
    },
  });
  return new Response(body, { headers: { "content-type": "text/event-stream" } });
}

function hfStream(step: Ok): Response {
  const base = { id: `chatcmpl-${++seq}`, object: "chat.completion.chunk", created: 1764000000, model: "Qwen/Qwen2.5-7B-Instruct" };
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
  if ("calls" in step) {
    return sse([
      ...step.calls.map((c, index) =>
        chunk({ ...(index === 0 ? { role: "assistant" } : {}), tool_calls: [{ index, id: `call_${++seq}`, type: "function", function: { name: c.name, arguments: JSON.stringify(c.args) } }] }, null),
      ),
      chunk({}, "tool_calls"),
    ]);
  }
  const words = step.text.split(/(?<= )/);
  return sse([...words.map((w, i) => chunk(i === 0 ? { role: "assistant", content: w } : { content: w }, null)), { ...chunk({}, "stop"), usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }]);
}

export interface ModelDouble {
  /** Parsed JSON bodies of the requests received, in order. */
  requests: { url: string; headers: Headers; body: any }[];
  /** Next answers, in order; when empty, `fallback` answers. */
  script(...steps: Step[]): void;
  /** Answer used when the script is empty (default: a 503). */
  fallback: Step;
  /** When set (and the script is empty), answers each request from its body: a double that reacts like an agent. */
  reactive: ((body: any) => Step) | null;
  reset(): void;
}

function faultResponse(step: Step): Response | null {
  if (step === "network") return HttpResponse.error() as unknown as Response;
  if ("status" in step) return HttpResponse.json((step.body ?? { error: "Service Unavailable" }) as Record<string, unknown>, { status: step.status, headers: step.headers ?? {} }) as unknown as Response;
  return null;
}

export function useHfRouter(server: SetupServer): ModelDouble {
  const d: ModelDouble = {
    requests: [],
    fallback: { status: 503, body: { error: "Model is currently loading" } },
    reactive: null,
    script: (...steps) => void queue.push(...steps),
    reset: () => {
      d.requests.length = 0;
      queue.length = 0;
      d.reactive = null;
      d.fallback = { status: 503, body: { error: "Model is currently loading" } };
    },
  };
  const queue: Step[] = [];
  beforeEach(() => {
    d.reset();
    server.use(handler);
  });
  const handler =
    http.post(`${HF_BASE}/v1/chat/completions`, async ({ request }) => {
      const body = await request.json();
      d.requests.push({ url: request.url, headers: request.headers, body });
      const step = queue.shift() ?? (d.reactive ? d.reactive(body) : d.fallback);
      const fault = faultResponse(step);
      if (fault) return fault;
      if ("partial" in (step as object)) return brokenStream((step as { partial: string }).partial);
      const ok = step as Ok;
      return (body as { stream?: boolean }).stream ? hfStream(ok) : HttpResponse.json(hfBody(ok));
    });
  return d;
}

// ---------------------------------------------------------------------------------------------
// Gemini generateContent

const usage = { promptTokenCount: 95, candidatesTokenCount: 12, thoughtsTokenCount: 40, totalTokenCount: 147 };

function geminiBody(step: Ok) {
  const parts =
    "calls" in step
      ? [...(step.text ? [{ text: step.text }] : []), ...step.calls.map((c, i) => ({ functionCall: { name: c.name, args: c.args }, ...(i === 0 ? { thoughtSignature: `CiQB-sig-${++seq}` } : {}) }))]
      : [{ text: step.text }];
  return { candidates: [{ finishReason: "STOP", index: 0, content: { role: "model", parts } }], usageMetadata: usage, modelVersion: "gemini-3.5-flash-lite" };
}

export function geminiError(code: number, status: string, message: string) {
  return { error: { code, message, status } };
}

export function useGemini(server: SetupServer): ModelDouble {
  const queue: Step[] = [];
  const d: ModelDouble = {
    requests: [],
    fallback: { status: 503, body: geminiError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.") },
    reactive: null,
    script: (...steps) => void queue.push(...steps),
    reset: () => {
      d.requests.length = 0;
      queue.length = 0;
      d.reactive = null;
      d.fallback = { status: 503, body: geminiError(503, "UNAVAILABLE", "The model is overloaded. Please try again later.") };
    },
  };
  beforeEach(() => {
    d.reset();
    server.use(handler);
  });
  const handler =
    http.post(`${GEMINI_BASE}/models/*`, async ({ request }) => {
      const body = await request.json();
      d.requests.push({ url: request.url, headers: request.headers, body });
      const step = queue.shift() ?? (d.reactive ? d.reactive(body) : d.fallback);
      const fault = faultResponse(step);
      if (fault) return fault;
      const ok = step as Ok;
      if (/:streamGenerateContent/.test(request.url)) {
        if ("calls" in ok) return sse([geminiBody(ok)], false);
        const words = ok.text.split(/(?<= )/);
        return sse(
          words.map((w, i) => ({
            candidates: [{ index: 0, content: { role: "model", parts: [{ text: w }] }, ...(i === words.length - 1 ? { finishReason: "STOP" } : {}) }],
            ...(i === words.length - 1 ? { usageMetadata: usage } : {}),
          })),
          false,
        );
      }
      return HttpResponse.json(geminiBody(ok));
    });
  return d;
}

// ---------------------------------------------------------------------------------------------
// HF feature extraction with fixed fake embeddings

/** Words that mean the same thing across French and English, so fake vectors relate them. */
const CONCEPTS: Record<string, string> = {
  livraison: "ship", livrer: "ship", livrez: "ship", livre: "ship", expedition: "ship", expedie: "ship", expedions: "ship", colis: "ship",
  ship: "ship", shipping: "ship", delivery: "ship", deliver: "ship", parcel: "ship", arrive: "ship", arriver: "ship",
  retour: "return", retourner: "return", retours: "return", return: "return", returns: "return", renvoyer: "return", send: "return",
  rembourse: "refund", remboursement: "refund", refund: "refund", refunds: "refund", money: "refund", argent: "refund",
  taille: "size", tailles: "size", size: "size", sizes: "size", pointure: "size", fit: "size",
  paiement: "pay", payer: "pay", payment: "pay", pay: "pay", carte: "pay", card: "pay", paypal: "pay",
  contact: "contact", contacter: "contact", email: "contact", telephone: "contact", phone: "contact", joindre: "contact",
  bougie: "candle", bougies: "candle", candle: "candle", candles: "candle", meche: "candle", wick: "candle", taper: "candle", tealight: "candle",
  cadeau: "gift", gift: "gift", emballage: "gift", wrapping: "gift",
  entretien: "care", entretenir: "care", laver: "care", lavez: "care", lavage: "care", care: "care", wash: "care", clean: "care",
  arrives: "ship", arrivera: "ship", paquet: "ship", envoi: "ship", port: "ship",
};

function fold(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) % 384;
}

/** A deterministic 384-dimension unit vector: a bag of (concept-mapped) words. */
export function fakeEmbedding(text: string): number[] {
  const v = new Array<number>(384).fill(0);
  const words = fold(text.replace(/^(query|passage): /, "")).split(/[^a-z0-9]+/).filter((w) => w.length >= 3);
  for (const w of words) {
    const c = CONCEPTS[w];
    if (c) v[hash(`concept:${c}`)]! += 3;
    v[hash(w)]! += 1;
  }
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

export interface EmbeddingDouble {
  requests: { url: string; headers: Headers; body: { inputs: string[]; normalize?: boolean } }[];
  /** When set, every request fails with this status. */
  failWith: number | null;
}

export function useEmbeddings(server: SetupServer): EmbeddingDouble {
  const d: EmbeddingDouble = { requests: [], failWith: null };
  beforeEach(() => {
    d.requests.length = 0;
    d.failWith = null;
    server.use(handler);
  });
  const handler =
    http.post(`${HF_BASE}/hf-inference/models/*`, async ({ request }) => {
      const body = (await request.json()) as { inputs: string[]; normalize?: boolean };
      d.requests.push({ url: request.url, headers: request.headers, body });
      if (d.failWith) return HttpResponse.json({ error: "unavailable" }, { status: d.failWith });
      if (!request.url.endsWith("/pipeline/feature-extraction")) return HttpResponse.json({ error: "Not Found" }, { status: 404 });
      return HttpResponse.json(body.inputs.map(fakeEmbedding));
    });
  return d;
}
