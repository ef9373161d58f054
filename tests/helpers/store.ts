/** Test stores: PGlite from the migrated snapshot, and fresh databases on a real PostgreSQL server. */
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createPgliteStore, type PgliteStore } from "../../lib/store/pglite.js";
import { createPostgresStore, type PostgresStore } from "../../lib/store/postgres.js";

export async function createTestStore(): Promise<PgliteStore> {
  const snapshot = readFileSync(inject("pgliteSnapshot"));
  return createPgliteStore({ dataDir: null, loadDataDir: new Blob([snapshot]) });
}

/** Pins the database clock (`app_now()`) of a PGlite store; `null` returns to real time. */
export async function setDbNow(store: PgliteStore, at: Date | string | null): Promise<void> {
  const value = at === null ? "" : typeof at === "string" ? at : at.toISOString();
  await store.db.query("select set_config('comptoir.now', $1, false)", [value]);
}

/** The real PostgreSQL server given by CI (TEST_DATABASE_URL), or undefined. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/**
 * A fresh, migrated database on the real server (`migrate: false` leaves it empty); `drop()`
 * removes it. Each test gets its own, so tests can run in parallel.
 */
export async function createPgDatabase(opts: { migrate?: boolean; max?: number } = {}): Promise<{ url: string; store: PostgresStore; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error("TEST_DATABASE_URL is not set");
  const { default: postgres } = await import("postgres");
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  const name = `comptoir_t_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const store = await createPostgresStore({ url: url.toString(), prepare: true, max: opts.max ?? 60 });
  if (opts.migrate ?? true) await store.migrate();
  return {
    url: url.toString(),
    store,
    async drop() {
      await store.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
