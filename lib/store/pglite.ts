/** PGlite backend: embedded Postgres (WASM), in memory or persisted in a folder. One connection. */
import { mkdirSync } from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import { RoundTripCounter, sqlRpc, type Store } from "./store.js";
import { applyMigrations, type MigrationResult, type MigrationTarget } from "./migrate.js";

export interface PgliteStore extends Store {
  readonly kind: "pglite";
  /** Direct access for tests and scripts (e.g. setting the fake clock). */
  readonly db: PGlite;
  readonly migrations: MigrationResult;
}

/** A PGlite database as a migration target (also used by tests that migrate step by step). */
export function pgliteMigrationTarget(db: PGlite): MigrationTarget {
  return {
    exec: async (sql) => void (await db.exec(sql)),
    query: async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows,
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          exec: async (sql) => void (await tx.exec(sql)),
          query: async (sql, params) => (await tx.query<Record<string, unknown>>(sql, params)).rows,
        }),
      ),
  };
}

export async function createPgliteStore(opts: { dataDir: string | null; loadDataDir?: Blob }): Promise<PgliteStore> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { vector } = await import("@electric-sql/pglite-pgvector");
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const db = await PGlite.create({
    ...(opts.dataDir ? { dataDir: `${opts.dataDir.replace(/\/+$/, "")}/pglite` } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    extensions: { vector },
  });
  const migrations = await applyMigrations(pgliteMigrationTarget(db));
  const counter = new RoundTripCounter();
  return {
    kind: "pglite",
    db,
    migrations,
    get roundTrips() {
      return counter.count;
    },
    // In-process and single-connection: it cannot go away or hang on a network, and a time bound
    // could not cancel a running WASM query, so no guard here (postgres.ts and supabase.ts have one).
    rpc: sqlRpc(counter, async (text, params) => (await db.query(text, params)).rows),
    async close() {
      await db.close();
    },
  };
}
