/**
 * Google Gemini (generateContent) as an AI SDK chat model, calling through providerFetch: the
 * "gemini" breaker, timeouts, retries. `@ai-sdk/google` is imported here, on first use only.
 */
import type { Config } from "../../config.js";
import type { IntegrationDeps } from "../deps.js";
import { providerFetch, type ChatModel } from "../model-fetch.js";

export type GeminiConfig = Config["gemini"];
export type GeminiConfigured = Extract<GeminiConfig, { configured: true }>;

export async function createGeminiChat(gemini: GeminiConfigured, deps: IntegrationDeps): Promise<ChatModel> {
  const { createGoogleGenerativeAI } = await import("@ai-sdk/google");
  const provider = createGoogleGenerativeAI({
    apiKey: gemini.apiKey,
    baseURL: gemini.baseUrl,
    fetch: providerFetch(deps, "gemini", gemini),
  });
  // Gemini 3 ignores sampling parameters; keep its thinking short for a chat.
  return { model: provider(gemini.model), settings: { providerOptions: { google: { thinkingConfig: { thinkingLevel: "low" } } } } };
}
