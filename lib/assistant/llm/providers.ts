/**
 * The models, in routing order: the Hugging Face router (OpenAI-compatible chat completions,
 * `${HF_BASE_URL}/v1`) first, then Gemini (generateContent). Each gets providerFetch, hence its
 * own breaker ("hf", "gemini"), timeouts and retries. Provider packages are imported on first
 * use only (this module is itself loaded lazily), and built once per Services.
 */
import type { LanguageModel } from "ai";
import { lazy, type Services } from "../../services.js";
import { providerFetch } from "./provider-fetch.js";

export interface ModelProvider {
  name: "hf" | "gemini";
  model: LanguageModel;
  /** Call settings that suit this provider. */
  settings: { temperature?: number; providerOptions?: Record<string, Record<string, unknown>> };
}

export function modelsConfigured(services: Services): boolean {
  return services.config.hf.configured || services.config.gemini.configured;
}

export function loadProviders(services: Services): Promise<ModelProvider[]> {
  return lazy(services, "llm:providers", async () => {
    const { hf, gemini } = services.config;
    const out: ModelProvider[] = [];
    if (hf.configured) {
      const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
      const provider = createOpenAICompatible({
        name: "huggingface",
        baseURL: `${hf.baseUrl}/v1`,
        apiKey: hf.token,
        fetch: providerFetch(services, "hf", hf),
      });
      out.push({ name: "hf", model: provider.chatModel(hf.model), settings: { temperature: 0.3 } });
    }
    if (gemini.configured) {
      const { createGoogleGenerativeAI } = await import("@ai-sdk/google");
      const provider = createGoogleGenerativeAI({
        apiKey: gemini.apiKey,
        baseURL: gemini.baseUrl,
        fetch: providerFetch(services, "gemini", gemini),
      });
      // Gemini 3 ignores sampling parameters; keep its thinking short for a chat.
      out.push({ name: "gemini", model: provider(gemini.model), settings: { providerOptions: { google: { thinkingConfig: { thinkingLevel: "low" } } } } });
    }
    return out;
  });
}
