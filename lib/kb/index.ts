/**
 * lib/kb — the shop's knowledge base (shipping, returns, sizes, payment, ...): documents are
 * chunked under their headings (chunk.ts, html.ts), embedded with Hugging Face when HF_TOKEN is
 * set (embed.ts), stored with a full-text vector and, with pgvector, an embedding (ingest.ts,
 * `npm run kb:ingest -- <folder>`), and searched by reciprocal-rank fusion of both in SQL
 * (search.ts). The demo base (kb/demo) loads itself for the demo shop (demo.ts).
 */
export { searchKnowledge, searchKnowledgeDetailed, answerKnowledge, quotePassage, hitConfidence, queryStems, type KnowledgeSearch, type KnowledgeAnswer } from "./search.js";
export { ingestFolder, type IngestOptions, type IngestProgress, type IngestReport } from "./ingest.js";
export { chunkDocument, KB_EXTENSIONS, type Chunk } from "./chunk.js";
export { htmlToText } from "./html.js";
export { embedTexts, normaliseEmbeddings, vectorLiteral, KB_DIMENSIONS, EmbeddingShapeError } from "./embed.js";
export { KB_CONCEPTS, expandQuery, conceptsOf } from "./concepts.js";
export { ensureDemoKnowledge, demoKnowledgeDir } from "./demo.js";
export type { KbHit, KbSearchResult, KbSyncResult } from "./store.js";
