/**
 * npm run kb:ingest -- <folder> [--name <prefix>] [--no-embeddings]
 *
 * Loads the .md/.txt/.html files of a folder into the knowledge base of the configured
 * database (DATABASE_URL / Supabase, else the local PGlite in DATA_DIR — stop `npm run dev`
 * first: PGlite takes one process at a time). Chunks keep their headings; with HF_TOKEN (and
 * pgvector) new chunks are embedded with HF_EMBEDDING_MODEL. Idempotent: unchanged chunks are
 * neither rewritten nor re-embedded; files gone from the folder lose their chunks.
 * On Postgres, run `npm run db:migrate` first.
 */
import { existsSync, statSync } from "node:fs";
import { getServices } from "../lib/services.js";
import { ingestFolder, type IngestProgress } from "../lib/kb/index.js";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error("usage: npm run kb:ingest -- <folder> [--name <prefix>] [--no-embeddings]");
  process.exit(2);
}

const args = process.argv.slice(2);
let folder: string | undefined;
let name: string | undefined;
let noEmbeddings = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === "--name") name = args[++i] ?? usage("--name needs a value");
  else if (a === "--no-embeddings") noEmbeddings = true;
  else if (a === "-h" || a === "--help") usage();
  else if (a.startsWith("-")) usage(`unknown option ${a}`);
  else if (folder) usage("only one folder at a time");
  else folder = a;
}
if (!folder) usage("missing <folder>");
if (!existsSync(folder) || !statSync(folder).isDirectory()) usage(`${folder} is not a folder`);

const tty = process.stderr.isTTY;
let lastLine = "";
function bar(p: IngestProgress): void {
  const width = 28;
  const filled = p.total ? Math.round((p.done / p.total) * width) : width;
  const label = { read: "reading  ", embed: "embedding", store: "storing  " }[p.phase];
  const line = `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${p.done}/${p.total}${p.file ? ` ${p.file}` : ""}`;
  if (tty) process.stderr.write(`\r${line.slice(0, (process.stderr.columns || 100) - 1).padEnd(lastLine.length)}`);
  else if (p.done === p.total) process.stderr.write(`${line}\n`);
  if (tty && p.done === p.total) process.stderr.write("\n");
  lastLine = line;
}

const services = await getServices();
try {
  const started = Date.now();
  const r = await ingestFolder(services, folder, { ...(name ? { name } : {}), noEmbeddings, onProgress: bar });
  const vectors = {
    yes: `embedded ${r.embedded} chunk(s) with ${services.config.hf.embeddingModel}`,
    no_hf_token: "no embeddings (HF_TOKEN is not set): full-text search only",
    no_pgvector: "no embeddings (this database has no pgvector): full-text search only",
    disabled: "no embeddings (--no-embeddings)",
  }[r.vectors];
  console.log(
    `${r.files} file(s), ${r.chunks} chunk(s): ${r.inserted} new, ${r.updated} moved, ${r.unchanged} unchanged, ${r.deleted + r.pruned} deleted; ${vectors}. (${Date.now() - started} ms)`,
  );
} catch (err) {
  console.error(`kb:ingest failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await services.store.close();
}
