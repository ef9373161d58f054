/**
 * The model loop ("autoroute"): the turn goes to the Hugging Face router, then to Gemini when
 * HF fails or its breaker is open; null when every configured model failed (the caller then
 * answers with the offline assistant). Each attempt is an AI SDK tool loop of at most
 * CHAT_MAX_STEPS steps over the shared tools; text deltas are streamed when asked. Loaded
 * lazily (with `ai` and the providers) only when a model is configured.
 */
// `ai` is imported inside runOne, not here: a bundler inlines this lazily loaded module into the
// function's file and hoists a static import of an external package to the top of that file,
// which would load the AI SDK at every cold start (netlify.toml keeps "ai" external).
import type { ModelMessage, ToolSet } from "ai";
import { requestContext } from "../../request-context.js";
import type { TurnContext } from "../context.js";
import type { HistoryMessage } from "../conversation-store.js";
import { TOOLS } from "../tools/index.js";
import { systemPrompt } from "./prompt.js";
import { modelDeadline } from "../../integrations/model-fetch.js";
import { loadProviders, type ModelProvider } from "./providers.js";

export interface ModelTurnInput {
  history: HistoryMessage[];
  text: string;
  onTextDelta?(delta: string): void;
  /** Called when streamed text must be discarded (a model failed mid-answer). */
  onReset?(): void;
}

export interface ModelOutcome { provider: "hf" | "gemini"; text: string; steps: number }

/** Time kept for the offline fallback and storing the reply. */
const RESERVE_MS = 1500;
const MAX_OUTPUT_TOKENS = 700;

/** Arguments kept in the turn's meta (evals, debugging): never contact details. */
const PRIVATE_ARGS = new Set(["email", "phone", "name", "message"]);
const traceArgs = (input: unknown): Record<string, unknown> =>
  Object.fromEntries(Object.entries((input ?? {}) as Record<string, unknown>).filter(([k]) => !PRIVATE_ARGS.has(k)));

function aiTools(ctx: TurnContext, tool: typeof import("ai").tool): ToolSet {
  const out: ToolSet = {};
  for (const [name, spec] of Object.entries(TOOLS)) {
    out[name] = tool({
      description: spec.description,
      inputSchema: spec.input,
      execute: async (input: unknown) => {
        const before = ctx.draft.tools.length;
        const result = await (spec.run as (c: TurnContext, i: unknown) => Promise<unknown>)(ctx, input);
        const trace = ctx.draft.tools.slice(before).find((t) => t.name === name);
        if (trace && !trace.args) trace.args = traceArgs(input);
        return result;
      },
    });
  }
  return out;
}

/** Adds a model call's tokens to the turn's usage (stored per turn: chat_message.tokens_in/out). */
function addUsage(ctx: TurnContext, u: { inputTokens?: number | undefined; outputTokens?: number | undefined } | undefined): void {
  if (!u) return;
  const prev = ctx.draft.usage ?? { input: 0, output: 0 };
  ctx.draft.usage = { input: prev.input + (u.inputTokens ?? 0), output: prev.output + (u.outputTokens ?? 0) };
}

/** History as the providers want it: starts with the user, no two turns of the same role in a row. */
export function toModelMessages(history: HistoryMessage[], text: string): ModelMessage[] {
  const all = [...history, { role: "user" as const, content: text }];
  const merged: HistoryMessage[] = [];
  for (const m of all) {
    if (!m.content.trim()) continue;
    const last = merged[merged.length - 1];
    if (last && last.role === m.role) last.content = `${last.content}\n${m.content}`;
    else merged.push({ ...m });
  }
  while (merged[0]?.role === "assistant") merged.shift();
  return merged.map((m) => ({ role: m.role, content: m.content }));
}

export async function runModels(ctx: TurnContext, input: ModelTurnInput): Promise<ModelOutcome | null> {
  const providers = await loadProviders(ctx.services);
  const deadline = requestContext.getStore()?.deadline ?? Date.now() + ctx.services.config.app.requestBudgetMs;
  for (const [i, provider] of providers.entries()) {
    const left = deadline - Date.now() - RESERVE_MS;
    if (left < 500) break;
    // A first provider may not eat the whole budget: the next one needs time too.
    const budget = i < providers.length - 1 ? Math.max(500, Math.floor(left * 0.6)) : left;
    let streamed = false;
    try {
      return await modelDeadline.run(Date.now() + budget, () => runOne(ctx, provider, input, budget, () => (streamed = true)));
    } catch (err) {
      const e = err as { name?: string; message?: string; status?: number; statusCode?: number };
      ctx.services.log.warn("model failed, trying the next one", {
        provider: provider.name,
        error: e?.name,
        status: e?.status ?? e?.statusCode,
        message: e?.message?.slice(0, 200),
      });
      if (streamed) input.onReset?.();
    }
  }
  return null;
}

async function runOne(ctx: TurnContext, provider: ModelProvider, input: ModelTurnInput, budgetMs: number, onStream: () => void): Promise<ModelOutcome> {
  const { config } = ctx.services;
  const { generateText, isStepCount, streamText, tool } = await import("ai");
  const call = {
    model: provider.model,
    instructions: systemPrompt({
      brand: config.app.brandName,
      lang: ctx.lang,
      channel: ctx.channel,
      knownEmail: !!ctx.contactEmail,
      policies: {
        currency: config.stripe.currency.toUpperCase(),
        maxPercent: config.coupons.maxPercent,
        maxFixedAmount: config.coupons.maxFixedAmount,
        maxQuantity: config.stripe.maxQuantity,
        maxLines: config.stripe.maxLines,
      },
    }),
    messages: toModelMessages(input.history, input.text),
    tools: aiTools(ctx, tool),
    stopWhen: isStepCount(config.chat.maxSteps),
    // Retries happen in our HTTP client, under the breaker.
    maxRetries: 0,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    abortSignal: AbortSignal.timeout(budgetMs),
    ...(provider.settings.temperature !== undefined ? { temperature: provider.settings.temperature } : {}),
    ...(provider.settings.providerOptions ? { providerOptions: provider.settings.providerOptions as never } : {}),
  };

  if (!input.onTextDelta) {
    const r = await generateText(call);
    addUsage(ctx, r.totalUsage);
    const texts = r.steps.map((s) => s.text.trim()).filter(Boolean);
    return { provider: provider.name, text: texts.join("\n\n"), steps: r.steps.length };
  }

  const onDelta = input.onTextDelta;
  const result = streamText({ ...call, onError: () => {} });
  const stepTexts: string[] = [];
  let current = "";
  let steps = 0;
  for await (const part of result.fullStream) {
    switch (part.type) {
      case "text-delta": {
        if (!part.text) break;
        if (!current && stepTexts.length) onDelta("\n\n");
        current += part.text;
        onStream();
        onDelta(part.text);
        break;
      }
      case "finish-step":
        steps++;
        if (current.trim()) stepTexts.push(current.trim());
        current = "";
        break;
      case "error":
        throw part.error;
      case "abort":
        throw new Error("model call aborted (time budget)");
      default:
        break;
    }
  }
  if (current.trim()) stepTexts.push(current.trim());
  addUsage(ctx, await Promise.resolve(result.totalUsage).catch(() => undefined));
  return { provider: provider.name, text: stepTexts.join("\n\n"), steps };
}
