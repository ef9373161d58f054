/**
 * The knowledge base's embeddings: the Hugging Face embedder (lib/integrations/huggingface)
 * bound to this instance's `hf` config and to the kb_chunk.embedding column's dimension.
 */
import { createHfEmbedder, normaliseEmbeddings as normalise, type EmbedOptions } from "../integrations/huggingface/index.js";
import { integrationDeps } from "../integrations/deps.js";
import { lazy, type Services } from "../services.js";

export { EmbeddingShapeError } from "../integrations/huggingface/index.js";

/** The dimension of the kb_chunk.embedding column (supabase/migrations/*_assistant.sql). */
export const KB_DIMENSIONS = 384;
export const EMBED_BATCH = 16;

export function embeddingsAvailable(services: Services): boolean {
  return services.config.hf.configured;
}

/** One vector per text (unit length, KB_DIMENSIONS). Throws UpstreamError / BreakerOpenError on outages. */
export function embedTexts(services: Services, texts: string[], kind: "query" | "passage", opts: EmbedOptions = {}): Promise<number[][]> {
  const embedder = lazy(services, "kb:embedder", () => createHfEmbedder(services.config.hf, integrationDeps(services), KB_DIMENSIONS));
  return embedder.embed(texts, kind, opts);
}

/** number[] | number[][] | number[][][] -> one unit vector of KB_DIMENSIONS per input. */
export function normaliseEmbeddings(data: unknown, count: number): number[][] {
  return normalise(data, count, KB_DIMENSIONS);
}

/** The pgvector literal of a vector. */
export function vectorLiteral(v: number[]): string {
  return `[${v.join(",")}]`;
}
