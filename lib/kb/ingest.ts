/**
 * ingestFolder: reads every .md/.txt/.html file under a folder, chunks it, embeds the chunks
 * that are new (when HF_TOKEN is set and the database has pgvector) and stores each file's
 * chunks in one round trip (kb_sync_source: unchanged chunks are kept, vanished ones deleted).
 * Files removed from the folder lose their chunks. Sources are named "<folder>/<relative path>".
 * Re-running on an unchanged folder writes nothing and calls no model.
 */
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import type { Services } from "../services.js";
import { KB_EXTENSIONS, chunkDocument, type Chunk } from "./chunk.js";
import { EMBED_BATCH, embedTexts } from "./embed.js";
import { kbPrune, kbState, kbSyncSource, type KbSyncResult } from "./store.js";

export interface IngestProgress {
  phase: "read" | "embed" | "store";
  done: number;
  total: number;
  file?: string;
}

export interface IngestOptions {
  /** Source prefix (default: the folder's name). */
  name?: string;
  /** Skip embeddings even when HF is configured. */
  noEmbeddings?: boolean;
  onProgress?(p: IngestProgress): void;
}

export interface IngestReport extends KbSyncResult {
  files: number;
  chunks: number;
  pruned: number;
  /** Whether vectors were computed ("no" when HF_TOKEN is unset or the database lacks pgvector). */
  vectors: "yes" | "no_hf_token" | "no_pgvector" | "disabled";
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else if (KB_EXTENSIONS.some((e) => entry.name.toLowerCase().endsWith(e))) out.push(full);
  }
  return out.sort();
}

export async function ingestFolder(services: Services, folder: string, opts: IngestOptions = {}): Promise<IngestReport> {
  const root = path.resolve(folder);
  const prefix = `${(opts.name ?? path.basename(root)).replace(/[\\/]+$/, "")}/`;
  const files = await listFiles(root);
  const progress = opts.onProgress ?? (() => {});

  const docs: { source: string; chunks: Chunk[] }[] = [];
  for (const [i, file] of files.entries()) {
    const rel = path.relative(root, file).split(path.sep).join("/");
    docs.push({ source: `${prefix}${rel}`, chunks: chunkDocument(rel, await readFile(file, "utf8")) });
    progress({ phase: "read", done: i + 1, total: files.length, file: rel });
  }

  const state = await kbState(services.store, docs.map((d) => d.source));
  const model = services.config.hf.embeddingModel;
  const vectors: IngestReport["vectors"] = opts.noEmbeddings
    ? "disabled"
    : !services.config.hf.configured
      ? "no_hf_token"
      : !state.vectors
        ? "no_pgvector"
        : "yes";

  // Embed only chunks not already stored with this model.
  const embeddings = new Map<string, number[]>();
  if (vectors === "yes") {
    const todo = docs.flatMap((d) =>
      d.chunks.filter((c) => state.sources[d.source]?.[c.hash] !== model).map((c) => ({ key: `${d.source}\n${c.hash}`, text: `${c.heading}\n${c.content}` })),
    );
    for (let i = 0; i < todo.length; i += EMBED_BATCH) {
      const batch = todo.slice(i, i + EMBED_BATCH);
      const vs = await embedTexts(services, batch.map((b) => b.text), "passage");
      batch.forEach((b, j) => embeddings.set(b.key, vs[j]!));
      progress({ phase: "embed", done: Math.min(i + EMBED_BATCH, todo.length), total: todo.length });
    }
  }

  const report: IngestReport = { files: files.length, chunks: 0, inserted: 0, updated: 0, deleted: 0, unchanged: 0, embedded: 0, pruned: 0, vectors };
  for (const [i, d] of docs.entries()) {
    const r = await kbSyncSource(
      services.store,
      d.source,
      d.chunks.map((c) => {
        const e = embeddings.get(`${d.source}\n${c.hash}`);
        return e ? { ...c, embedding: e } : c;
      }),
      vectors === "yes" ? model : undefined,
    );
    report.chunks += d.chunks.length;
    report.inserted += r.inserted;
    report.updated += r.updated;
    report.deleted += r.deleted;
    report.unchanged += r.unchanged;
    report.embedded += r.embedded;
    progress({ phase: "store", done: i + 1, total: docs.length, file: d.source });
  }
  report.pruned = await kbPrune(services.store, prefix, docs.map((d) => d.source));
  return report;
}
