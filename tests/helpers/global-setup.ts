/**
 * Migrates one PGlite database and saves it as a snapshot, so each test file starts from a
 * migrated database in about a second instead of running initdb + migrations again.
 */
import { mkdirSync, existsSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { readMigrations } from "../../lib/store/migrate.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteSnapshot: string;
  }
}

export default async function setup(project: TestProject) {
  const hash = createHash("sha256");
  for (const m of readMigrations()) hash.update(m.version).update(m.checksum);
  const dir = path.resolve("node_modules/.cache/comptoir-test");
  const file = path.join(dir, `pglite-${hash.digest("hex").slice(0, 16)}.tar.gz`);
  if (!existsSync(file)) {
    const { createPgliteStore } = await import("../../lib/store/pglite.js");
    const store = await createPgliteStore({ dataDir: null });
    const dump = await store.db.dumpDataDir("gzip");
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await store.close();
  }
  project.provide("pgliteSnapshot", file);
  if (!process.env.TEST_DATABASE_URL) {
    console.log("\n[comptoir] TEST_DATABASE_URL is not set: the real-PostgreSQL tests are skipped (.ci/run starts a server and sets it).\n");
  }
}
