/** search_knowledge: the best passages of the shop's knowledge base (lib/kb, hybrid search). */
import { isUnavailable } from "../../http/index.js";
import { answerKnowledge, searchKnowledge, type KbHit } from "../../kb/index.js";
import type { TurnContext } from "../context.js";
import type { SearchKnowledgeInput } from "./schemas.js";

export type KnowledgeResult =
  | { status: "ok"; passages: { title: string; text: string; source: string }[] }
  | { status: "unavailable" };

/** Hits, or null when the knowledge base cannot be reached. */
export async function knowledgeHits(ctx: TurnContext, query: string, limit = 3): Promise<KbHit[] | null> {
  try {
    return await searchKnowledge(ctx.services, { query, limit, language: ctx.lang });
  } catch (err) {
    if (isUnavailable(err) || (err as Error)?.name === "StoreError") {
      ctx.services.log.warn("knowledge search failed", { error: (err as Error).message });
      return null;
    }
    throw err;
  }
}

async function rankedAnswer(ctx: TurnContext, query: string): Promise<KbHit | null> {
  try {
    return (await answerKnowledge(ctx.services, { query, language: ctx.lang }))?.hit ?? null;
  } catch (err) {
    if (isUnavailable(err) || (err as Error)?.name === "StoreError") return null;
    throw err;
  }
}

export async function searchKnowledgeTool(ctx: TurnContext, input: SearchKnowledgeInput): Promise<KnowledgeResult> {
  const [best, hits] = await Promise.all([rankedAnswer(ctx, input.query), knowledgeHits(ctx, input.query)]);
  // The passage that answers best (re-ranked by the question's concepts) comes first, then the others.
  if (best && hits) {
    const rest = hits.filter((h) => h.id !== best.id);
    hits.splice(0, hits.length, best, ...rest.slice(0, 2));
  }
  ctx.draft.tools.push({ name: "search_knowledge", status: hits === null ? "unavailable" : hits.length ? "ok" : "empty" });
  if (hits === null) return { status: "unavailable" };
  return { status: "ok", passages: hits.map((h) => ({ title: h.heading, text: h.content.slice(0, 1200), source: h.source })) };
}
