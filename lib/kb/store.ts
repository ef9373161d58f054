/** Typed helpers over the knowledge-base SQL functions (supabase/migrations/*_assistant.sql). */
import type { Store } from "../store/store.js";
import type { Chunk } from "./chunk.js";

export interface KbHit {
  id: number;
  source: string;
  heading: string;
  content: string;
  language: "fr" | "en" | null;
  /** Reciprocal-rank fusion score. */
  score: number;
  fts_rank: number | null;
  /** How many query words the passage matched (full-text). */
  fts_hits: number;
  vec_rank: number | null;
  /** Cosine similarity, when the vector search ranked it. */
  similarity: number | null;
}

export interface KbSearchResult {
  /** Chunks in the knowledge base. */
  total: number;
  /** Chunks embedded with the model searched with. */
  embedded: number;
  /** Words of the query the full-text search used. */
  tokens: number;
  results: KbHit[];
}

export function kbSearchRpc(store: Store, args: { query: string; embedding?: string; model?: string; limit?: number; language?: string }): Promise<KbSearchResult> {
  return store.rpc<KbSearchResult>("kb_search", {
    p_query: args.query,
    p_embedding: args.embedding,
    p_model: args.model,
    p_limit: args.limit,
    p_language: args.language,
  });
}

export interface KbState { vectors: boolean; sources: Record<string, Record<string, string | null>> }

export function kbState(store: Store, sources: string[]): Promise<KbState> {
  return store.rpc<KbState>("kb_state", { p_sources: sources });
}

export interface KbSyncResult { inserted: number; updated: number; deleted: number; unchanged: number; embedded: number }

export function kbSyncSource(store: Store, source: string, chunks: (Chunk & { embedding?: number[] })[], model?: string): Promise<KbSyncResult> {
  return store.rpc<KbSyncResult>("kb_sync_source", { p_source: source, p_chunks: chunks, p_model: model });
}

export function kbPrune(store: Store, prefix: string, keep: string[]): Promise<number> {
  return store.rpc<number>("kb_prune", { p_prefix: prefix, p_keep: keep });
}
