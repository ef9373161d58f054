/**
 * lib/integrations/huggingface — the Hugging Face router as the first chat model (OpenAI-
 * compatible, through the AI SDK, loaded on first use) and hf-inference feature extraction for
 * the knowledge base's embeddings. Factories take the `hf` config slice and IntegrationDeps.
 */
export { createHuggingFaceChat, type HfConfig, type HfConfigured } from "./chat.js";
export { createHfEmbedder, normaliseEmbeddings, EmbeddingShapeError, type HfEmbedder, type EmbedOptions } from "./embeddings.js";
