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

// ---------------------------------------------------------------------------------------------
// Answers from passages

const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
/** Words too common to say which sentence answers (both languages). */
const COMMON = new Set(
  `les des une est sont pour par dans avec sur que qui quoi vous nous votre vos mon mes combien comment quand quel quelle
   faut peux peut puis est-ce the and for with you your our are can how much many what when where which does from have this
   that will would could there their about dans chez elle ils sans plus tres bien aussi`.split(/\s+/),
);
const stem = (w: string) => (w.length > 5 ? w.slice(0, 5) : w);

/** The query's content words, folded and cut to a common stem ("livraisons" -> "livra"). */
export function queryStems(query: string): string[] {
  return [...new Set(fold(query).split(/[^a-z0-9]+/).filter((w) => (w.length >= 3 || /^\d+$/.test(w)) && !COMMON.has(w)).map(stem))];
}

/**
 * The sentences of a passage that answer the query, not the whole section: each sentence is
 * scored by the query stems it contains; the best one is kept with its neighbours that also
 * score (in the passage's order), at most `max` characters. A passage matched only by its heading
 * gives its opening sentences.
 */
export function quotePassage(content: string, query: string, max = 480): string {
  const text = content.replace(/\s+\n/g, "\n").trim();
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9«"(])|\n+/u).map((s) => s.trim()).filter(Boolean);
  if (sentences.length <= 2 && text.length <= max) return text;
  const stems = queryStems(query);
  const scores = sentences.map((s) => {
    const words = fold(s).split(/[^a-z0-9]+/).filter(Boolean).map(stem);
    return stems.filter((q) => words.some((w) => w === q || (q.length >= 4 && w.startsWith(q)))).length;
  });
  const best = Math.max(0, ...scores);
  let keep: number[];
  if (best === 0) keep = [0, 1].filter((i) => i < sentences.length);
  else {
    const top = scores.indexOf(best);
    keep = sentences.map((_, i) => i).filter((i) => i === top || (scores[i]! >= Math.max(1, best - 1) && Math.abs(i - top) <= 2));
    // A sentence that ends on ":" introduces the next one (a list, a condition).
    if (/:$/.test(sentences[top]!) && top + 1 < sentences.length && !keep.includes(top + 1)) keep.push(top + 1);
  }
  let out = "";
  for (const i of keep.sort((a, b) => a - b)) {
    const next = out ? `${out} ${sentences[i]}` : sentences[i]!;
    if (next.length > max && out) break;
    out = next;
  }
  return out.length > max ? `${out.slice(0, max - 1).trimEnd()}…` : out;
}

/**
 * How sure a hit answers the query, 0..1: the share of the query's words the passage matched
 * (full text), or the embedding similarity when it is higher. The threshold the assistant uses
 * (KB_CONFIDENT) was measured on the eval suites.
 */
export function hitConfidence(hit: KbHit, tokens: number): number {
  const coverage = tokens > 0 ? Math.min(1, hit.fts_hits / tokens) : 0;
  return Math.max(coverage, hit.similarity ?? 0);
}
