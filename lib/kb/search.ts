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
import { KB_CONCEPTS, conceptsOf, expandQuery } from "./concepts.js";
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
// Answers from passages: which passage answers, how sure, and which of its sentences to quote.

const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[’']/g, " ");
/** Words too common to say which passage answers (both languages). */
const COMMON = new Set(
  `les des une est sont pour par dans avec sur que qui quoi vous nous votre vos mon mes combien comment quand quel quelle quels
   quelles faut peux peut puis est-ce the and for with you your our are can how much many what when where which does from have
   this that will would could there their about chez elle ils sans plus tres bien aussi faire fais fait etre avoir sera serai
   suis was were get got any some tell know want need like please svp stp merci thanks hello bonjour salut whats its isn don
   doe did est avez ont cette ces son ses leur leurs all tout tous toute toutes mais donc alors just only juste aux possible
   acceptez acceptes accepte accept vos votre besoin conseil conseils advice tips tip`.split(/\s+/),
);
const stem = (w: string) => (w.length > 5 ? w.slice(0, 5) : w);
const QUANTITY = /\b(combien|how (much|long|many)|quel prix|quel delai|cost\w*|price|prix|tarif\w*|delai\w*|quand|when|a partir de|from what|threshold|minimum)\b/;

/** The query's content words, folded and cut to a common stem ("livraisons" -> "livra"). */
export function queryStems(query: string): string[] {
  return [...new Set(fold(query).split(/[^a-z0-9]+/).filter((w) => (w.length >= 3 || /^\d+$/.test(w)) && !COMMON.has(w)).map(stem))];
}

interface Units { concepts: number[]; stems: string[]; quantity: boolean }

/** What a question asks, as units to find in a passage: its concepts, and the words no concept covers. */
function unitsOf(query: string): Units {
  const concepts = conceptsOf(query);
  const covered = new Set(concepts.flatMap((i) => KB_CONCEPTS[i]!.flatMap((t) => fold(t.replace(/\*$/, "")).split(/\s+/))).map(stem));
  const stems = queryStems(query).filter((s) => ![...covered].some((c) => c === s || (c.length >= 4 && s.startsWith(c))));
  return { concepts, stems, quantity: QUANTITY.test(fold(query)) };
}

/** Units of `u` found in `text`: [matched, total]. */
function coverage(u: Units, text: string): [number, number] {
  const words = fold(text).split(/[^a-z0-9]+/).filter(Boolean).map(stem);
  const cs = new Set(conceptsOf(text));
  const matched = u.concepts.filter((c) => cs.has(c)).length + u.stems.filter((q) => words.some((w) => w === q || (q.length >= 4 && w.startsWith(q)))).length;
  return [matched, u.concepts.length + u.stems.length];
}

/**
 * The sentences of a passage that answer the query, not the whole section: the best window of
 * one or two sentences by the units they cover (a number counts for "how much / how long"
 * questions), at most `max` characters. A passage matched only by its heading gives its opening.
 */
export function quotePassage(content: string, query: string, max = 480, heading = ""): string {
  const text = content.replace(/\s+\n/g, "\n").trim();
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-ZÀ-Ý0-9«"(])|\n+/u).map((s) => s.trim()).filter(Boolean);
  if (sentences.length <= 2 && text.length <= max) return text;
  const u = unitsOf(query);
  // The question's own words, except those the heading already answers ("payment methods" under "Payment methods").
  const inHeading = new Set(fold(heading).split(/[^a-z0-9]+/).map(stem));
  const own = new Set(fold(query).split(/[^a-z0-9]+/).filter((w) => w.length >= 4 && !COMMON.has(w)).map(stem).filter((w) => !inHeading.has(w)));
  // Units covered, a number for "how much / how long", and the question's own words ("téléphone" among contact ways).
  const score = (s: string) =>
    coverage(u, s)[0] + (u.quantity && /\d/.test(s) ? 0.5 : 0) + 0.2 * new Set(fold(s).split(/[^a-z0-9]+/).map(stem).filter((w) => own.has(w))).size;
  // A section's opening sentence usually states its answer: it wins ties.
  const scores = sentences.map((x, i) => score(x) + (i === 0 ? 0.15 : 0));
  const best = Math.max(...scores);
  let from = best > 0.15 ? scores.indexOf(best) : 0;
  let to = from;
  // The answer goes on while the next sentences still speak of the question (a procedure, a price list).
  while (to + 1 < sentences.length && (scores[to + 1]! >= 1 || /:$/.test(sentences[to]!) || best <= 0.15)) {
    if (sentences.slice(from, to + 2).join(" ").length > max) break;
    to++;
    if (best <= 0.15 && to >= 1) break;
  }
  // "How much / how long": a figure must be in the quote.
  if (u.quantity && !/\d/.test(sentences.slice(from, to + 1).join(" "))) {
    const next = sentences.findIndex((x, i) => i > to && /\d/.test(x));
    if (next > 0 && next - to <= 2 && sentences.slice(from, next + 1).join(" ").length <= max) to = next;
  }
  if (from > 0 && best < 1 && from === to) from--;
  const out = sentences.slice(from, to + 1).join(" ");
  return out.length > max ? `${out.slice(0, max - 1).trimEnd()}…` : out;
}

/**
 * How sure a hit answers the query, 0..1: the share of the query's words the passage matched
 * (full text), or the embedding similarity when it is higher.
 */
export function hitConfidence(hit: KbHit, tokens: number): number {
  const coverageShare = tokens > 0 ? Math.min(1, hit.fts_hits / tokens) : 0;
  return Math.max(coverageShare, hit.similarity ?? 0);
}

export interface KnowledgeAnswer {
  hit: KbHit;
  /** 0..1: the share of the question's units (concepts, other words) the passage covers, or its embedding similarity. */
  confidence: number;
  /** How many of the question's shop-information concepts (lib/kb/concepts.ts) the passage covers. */
  concepts: number;
  /** The sentences to quote. */
  quote: string;
}

/**
 * The passage that answers a question, for an assistant that quotes it: the question is expanded
 * with the shop-information thesaurus (lib/kb/concepts.ts), the hybrid search gives candidates,
 * and they are re-ranked by how much of the question each covers, its heading counting more than
 * its text (the heading says what the passage is about). null when the base has nothing.
 */
export async function answerKnowledge(services: Services, search: { query: string; language?: string }): Promise<KnowledgeAnswer | null> {
  const query = search.query.trim().slice(0, 500);
  if (!query) return null;
  const r = await searchKnowledgeDetailed(services, { query: expandQuery(query), limit: 20, ...(search.language ? { language: search.language } : {}) });
  const u = unitsOf(query);
  // Rarer units say more ("allemagne" more than "livraison"): each is weighted by how few candidates have it.
  const texts = r.results.map((h) => `${h.heading}\n${h.content}`);
  const df = (unit: Units) => texts.filter((t) => coverage(unit, t)[0] > 0).length;
  const weight = new Map<string, number>();
  for (const c of u.concepts) weight.set(`c${c}`, 1 / Math.log2(2 + df({ concepts: [c], stems: [], quantity: false })));
  for (const st of u.stems) weight.set(`s${st}`, 1 / Math.log2(2 + df({ concepts: [], stems: [st], quantity: false })));
  const weighted = (text: string) => {
    let sum = 0;
    for (const c of u.concepts) if (coverage({ concepts: [c], stems: [], quantity: false }, text)[0]) sum += weight.get(`c${c}`)!;
    for (const st of u.stems) if (coverage({ concepts: [], stems: [st], quantity: false }, text)[0]) sum += weight.get(`s${st}`)!;
    return sum;
  };
  const queryWords = new Set(fold(query).split(/[^a-z0-9]+/).filter((w) => w.length >= 4).map(stem));
  let best: { hit: KbHit; rank: number; confidence: number; concepts: number } | null = null;
  for (const [i, hit] of r.results.entries()) {
    const leaf = hit.heading.split(" > ").pop() ?? "";
    const [inAll, total] = coverage(u, `${hit.heading}\n${hit.content}`);
    if (!total) continue;
    const confidence = Math.max(inAll / total, hit.similarity ?? 0);
    const number = u.quantity && /\d/.test(hit.content) ? 0.25 : 0;
    const language = search.language && hit.language === search.language ? 0.3 : 0;
    // The question's own words (not only their concepts) found in the passage break ties ("horaires d'ouverture").
    const own = fold(`${leaf} ${hit.content}`).split(/[^a-z0-9]+/).map(stem).filter((w) => queryWords.has(w));
    const rank = weighted(`${hit.heading}\n${hit.content}`) + 0.5 * weighted(leaf) + number + language + 0.2 * new Set(own).size - i * 0.001;
    const conceptsFound = u.concepts.filter((c) => conceptsOf(`${hit.heading}\n${hit.content}`).includes(c)).length;
    if (!best || rank > best.rank) best = { hit, rank, confidence, concepts: conceptsFound };
  }
  if (!best || best.confidence <= 0) return null;
  return { hit: best.hit, confidence: best.confidence, concepts: best.concepts, quote: quotePassage(best.hit.content, query, 480, best.hit.heading.split(" > ").pop() ?? "") };
}
