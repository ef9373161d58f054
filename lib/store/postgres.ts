/**
 * Postgres backend over the wire protocol (postgres.js): a self-hosted server, Neon, or the
 * Supabase pooler. Prepared statements are off for the transaction-mode pooler (port 6543).
 */
import type { Sql } from "postgres";
import { RoundTripCounter, sqlRpc, type Store } from "./store.js";
import { applyMigrations, type Migration, type MigrationResult } from "./migrate.js";

export interface PostgresStore extends Store {
  readonly kind: "postgres";
  readonly sql: Sql;
  /** Applies the pending migrations (all of supabase/migrations unless a list is given). */
  migrate(migrations?: Migration[]): Promise<MigrationResult>;
}

export async function createPostgresStore(opts: { url: string; prepare: boolean; max?: number }): Promise<PostgresStore> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(opts.url, {
    prepare: opts.prepare,
    max: opts.max ?? 5,
    idle_timeout: 20,
    connect_timeout: 10,
    onnotice: () => {},
  });
  const counter = new RoundTripCounter();
  return {
    kind: "postgres",
    sql,
    get roundTrips() {
      return counter.count;
    },
    rpc: sqlRpc(counter, (text, params) => sql.unsafe(text, params as never[])),
    migrate: (migrations) =>
      applyMigrations({
        exec: async (text) => void (await sql.unsafe(text)),
        query: async (text, params) => (await sql.unsafe(text, (params ?? []) as never[])) as unknown as Record<string, unknown>[],
        transaction: async (fn) =>
          (await sql.begin((tx) =>
            fn({
              exec: async (text) => void (await tx.unsafe(text)),
              query: async (text, params) => (await tx.unsafe(text, (params ?? []) as never[])) as unknown as Record<string, unknown>[],
            }),
          )) as never,
        // Several processes may start at once against one database: serialise them.
        lock: true,
      }, migrations),
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
