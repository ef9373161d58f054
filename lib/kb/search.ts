/**
 * searchKnowledge: hybrid retrieval over the knowledge base in one SQL call (kb_search fuses
 * the full-text and vector rankings by reciprocal rank). The query is embedded with Hugging
 * Face when HF_TOKEN is set and the base has embeddings; a failed or slow embedding only costs
 * the vector half (full-text still answers). On the demo shop, an empty base is filled from
 * kb/demo on first use, so `npm run dev` answers shipping/returns questions with no setup.
 */
import { isUnavailable } from "../http/index.js";
import { lazy, type Services } from "../services.js";
import { ensureDemoKnowledge } from "./demo.js";
import { EmbeddingShapeError, embedTexts, vectorLiteral } from "./embed.js";
import { kbSearchRpc, type KbHit, type KbSearchResult } from "./store.js";

/** Query embeddings must be quick: the shopper is waiting. */
const QUERY_EMBED_TIMEOUT_MS = 5000;
/** How long an instance trusts "this base has no embeddings" before asking again. */
const NO_EMBEDDINGS_RECHECK_MS = 5 * 60_000;

interface VectorState { noEmbeddingsUntil: number }

export interface KnowledgeSearch {
  query: string;
  limit?: number;
  /** Passages in this language win ties ("fr" | "en"). */
  language?: string;
}

export async function searchKnowledge(services: Services, search: KnowledgeSearch): Promise<KbHit[]> {
  return (await searchKnowledgeDetailed(services, search)).results;
}

/** Same as searchKnowledge, with the base's counts (tests, diagnostics). */
export async function searchKnowledgeDetailed(services: Services, search: KnowledgeSearch): Promise<KbSearchResult> {
  const query = search.query.trim().slice(0, 1000);
  const state = lazy<VectorState>(services, "kb:vectors", () => ({ noEmbeddingsUntil: 0 }));
  const { hf } = services.config;

  let embedding: string | undefined;
  if (hf.configured && query && Date.now() >= state.noEmbeddingsUntil) {
    try {
      const [v] = await embedTexts(services, [query], "query", { timeoutMs: Math.min(hf.timeoutMs, QUERY_EMBED_TIMEOUT_MS), retries: 0 });
      embedding = v ? vectorLiteral(v) : undefined;
    } catch (err) {
      if (!isUnavailable(err) && !(err instanceof EmbeddingShapeError) && !isClientError(err)) throw err;
      services.log.warn("kb query embedding skipped", { error: (err as Error).message });
    }
  }

  const run = () =>
    kbSearchRpc(services.store, {
      query,
      ...(embedding ? { embedding, model: hf.embeddingModel } : {}),
      limit: search.limit ?? 5,
      language: search.language,
    });
  let result = await run();
  if (result.total === 0 && (await ensureDemoKnowledge(services))) result = await run();
  if (embedding && result.embedded === 0) state.noEmbeddingsUntil = Date.now() + NO_EMBEDDINGS_RECHECK_MS;
  return result;
}

function isClientError(err: unknown): boolean {
  const e = err as { name?: string; status?: number };
  return e?.name === "UpstreamError" && typeof e.status === "number" && e.status >= 400 && e.status < 500;
}
