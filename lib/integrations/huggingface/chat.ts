/**
 * The Hugging Face router as an AI SDK chat model (OpenAI-compatible chat completions at
 * `${HF_BASE_URL}/v1`), calling through providerFetch: the "hf" breaker, timeouts, retries.
 * `@ai-sdk/openai-compatible` is imported here, on first use only.
 */
import type { Config } from "../../config.js";
import type { IntegrationDeps } from "../deps.js";
import { providerFetch, type ChatModel } from "../model-fetch.js";

export type HfConfig = Config["hf"];
export type HfConfigured = Extract<HfConfig, { configured: true }>;

export async function createHuggingFaceChat(hf: HfConfigured, deps: IntegrationDeps): Promise<ChatModel> {
  const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
  const provider = createOpenAICompatible({
    name: "huggingface",
    baseURL: `${hf.baseUrl}/v1`,
    apiKey: hf.token,
    fetch: providerFetch(deps, "hf", hf),
  });
  return { model: provider.chatModel(hf.model), settings: { temperature: 0.3 } };
}
