/**
 * lib/integrations/gemini — Google Gemini as the second chat model (after Hugging Face). A
 * factory taking the `gemini` config slice and IntegrationDeps; the AI SDK provider package
 * loads only when the factory runs (a model is configured and a turn asks for it).
 */
export { createGeminiChat, type GeminiConfig, type GeminiConfigured } from "./chat.js";
