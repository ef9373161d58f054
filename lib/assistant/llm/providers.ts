/**
 * The models, in routing order: the Hugging Face router first, then Gemini (each built by its
 * integration, lib/integrations/huggingface and gemini, with its own breaker, timeouts and
 * retries). Provider packages are imported on first use only (this module is itself loaded
 * lazily), and built once per Services.
 */
import { integrationDeps } from "../../integrations/deps.js";
import type { ChatModel } from "../../integrations/model-fetch.js";
import { lazy, type Services } from "../../services.js";

export interface ModelProvider extends ChatModel {
  name: "hf" | "gemini";
}

export function modelsConfigured(services: Services): boolean {
  return services.config.hf.configured || services.config.gemini.configured;
}

export function loadProviders(services: Services): Promise<ModelProvider[]> {
  return lazy(services, "llm:providers", async () => {
    const { hf, gemini } = services.config;
    const deps = integrationDeps(services);
    const out: ModelProvider[] = [];
    if (hf.configured) {
      const { createHuggingFaceChat } = await import("../../integrations/huggingface/chat.js");
      out.push({ name: "hf", ...(await createHuggingFaceChat(hf, deps)) });
    }
    if (gemini.configured) {
      const { createGeminiChat } = await import("../../integrations/gemini/chat.js");
      out.push({ name: "gemini", ...(await createGeminiChat(gemini, deps)) });
    }
    return out;
  });
}
