/**
 * Postgres backend over the wire protocol (postgres.js): a self-hosted server, Neon, or the
 * Supabase pooler. Prepared statements are off for the transaction-mode pooler (port 6543).
 * Every call is bounded by the request budget and cancelled when it runs out (guard.ts);
 * connecting and reconnecting are bounded too, so an outage fails requests fast.
 */
import type { Sql } from "postgres";
import { RoundTripCounter, sqlRpc, type Store } from "./store.js";
import { applyMigrations, type Migration, type MigrationResult } from "./migrate.js";
import { createStoreGuard, STORE_CALL_MAX_MS } from "./guard.js";
import { arrayTypes } from "./pg-arrays.js";

const CONNECT_TIMEOUT_S = 3;
const MAX_RECONNECT_WAIT_S = 1;

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
    // A connection attempt may not outlive a request's budget; each call is bounded anyway (guard.ts).
    connect_timeout: CONNECT_TIMEOUT_S,
    // Reconnect soon after a failure (postgres.js waits up to 20 s by default, growing with each
    // failed attempt, while queries queue): the guard already fails calls fast during an outage.
    backoff: (retries: number) => Math.min(0.1 * 2 ** retries, MAX_RECONNECT_WAIT_S),
    // Recycle connections, so one opened through a failover does not live on forever.
    max_lifetime: 30 * 60,
    // A statement the server itself gives up on (lock waits, a runaway query). Transaction-mode
    // poolers (prepare: false) may refuse unknown startup parameters: there the client bound is all.
    ...(opts.prepare ? { connection: { statement_timeout: STORE_CALL_MAX_MS } } : {}),
    onnotice: () => {},
    // No pg_type lookup on each new connection (a round trip before the first query): the
    // built-in array types are declared (pg-arrays.ts).
    fetch_types: false,
    types: arrayTypes(),
  });
  const counter = new RoundTripCounter();
  const guard = createStoreGuard();
  return {
    kind: "postgres",
    sql,
    get roundTrips() {
      return counter.count;
    },
    rpc: sqlRpc(
      counter,
      (text, params, signal) => {
        // Named prepared statements where the server allows them: `unsafe` defaults to unnamed
        // ones, and postgres.js sends an unnamed statement with parameters in two round trips
        // (Parse + Describe, then Bind + Execute once the parameter types are back). Prepared,
        // a call is one round trip after the connection's first (each connection describes a
        // statement once).
        const query = sql.unsafe(text, params as never[], { prepare: opts.prepare });
        // Out of time while still queued (no connection yet): drop it, so it cannot run later,
        // after the caller was told it failed. A statement already sent is left to the server's
        // statement_timeout: postgres.js cancels those over a new connection and leaves that
        // attempt's failure unhandled (a process crash while the server is unreachable).
        signal.addEventListener("abort", () => (query as unknown as { state?: unknown }).state || query.cancel(), { once: true });
        return query;
      },
      guard.call,
    ),
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
