/**
 * The demo knowledge base (kb/demo: shipping, returns, sizes, payment, care, contact) goes with
 * the demo shop. When the base is empty and Wix is not configured, the first knowledge search
 * ingests it (full-text only: no model call on a shopper's turn; `npm run kb:ingest -- kb/demo`
 * adds embeddings). Once per instance; concurrent instances converge (inserts are idempotent).
 * A Wix shop never gets the demo content: its owner ingests their own folder.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { lazy, type Services } from "../services.js";
import { ingestFolder } from "./ingest.js";

export function demoKnowledgeDir(): string | null {
  const candidates = [fileURLToPath(new URL("../../kb/demo/", import.meta.url)), path.join(process.cwd(), "kb/demo")];
  return candidates.find((d) => existsSync(d)) ?? null;
}

/** True when the demo base was (just or already) loaded by this instance. */
export function ensureDemoKnowledge(services: Services): Promise<boolean> {
  if (services.config.wix.configured) return Promise.resolve(false);
  const memo = lazy<{ p?: Promise<boolean> }>(services, "kb:demo", () => ({}));
  memo.p ??= (async () => {
    const dir = demoKnowledgeDir();
    if (!dir) {
      services.log.warn("demo knowledge base not found", { looked: "kb/demo" });
      return false;
    }
    const r = await ingestFolder(services, dir, { name: "demo", noEmbeddings: true });
    services.log.info("demo knowledge base loaded", { files: r.files, chunks: r.chunks, inserted: r.inserted });
    return true;
  })().catch((err: unknown) => {
    memo.p = undefined;
    throw err;
  });
  return memo.p;
}
