/**
 * The Store interface: every query is a SQL function called with `rpc(name, args)`.
 * Backends (PGlite, Postgres, Supabase) only differ in how they send that one statement.
 */
import { requestContext } from "../request-context.js";

export type StoreKind = "pglite" | "postgres" | "supabase";
export type RpcArgs = Record<string, unknown>;

export interface Store {
  readonly kind: StoreKind;
  /** Calls the SQL function `name` with named arguments; resolves to its (jsonb) result. */
  rpc<T = unknown>(name: string, args?: RpcArgs): Promise<T>;
  /** Round trips made by this store since it was created (read by tests and the benchmark). */
  readonly roundTrips: number;
  close(): Promise<void>;
}

/** A store failure: the database could not be reached or the function raised. */
export class StoreError extends Error {
  override name = "StoreError";
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly fn: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validates identifiers so a function or argument name can never carry SQL. */
export function assertIdent(kind: string, name: string): void {
  if (!IDENT.test(name)) throw new StoreError(`invalid ${kind} name: ${JSON.stringify(name)}`, "invalid_identifier", name);
}

/**
 * Builds `select public.fn(a => $1, b => $2) as result` and its parameters. Objects and arrays
 * are sent as JSON text (the function signature types them as jsonb); undefined args are omitted
 * so SQL defaults apply.
 */
export function rpcStatement(name: string, args: RpcArgs = {}): { text: string; params: unknown[] } {
  assertIdent("function", name);
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined) continue;
    assertIdent("argument", k);
    params.push(v);
    parts.push(`${k} => $${params.length}`);
  }
  return { text: `select public.${name}(${parts.join(", ")}) as result`, params };
}

/** Counts a round trip on the store and on the current request, if any, and times it for the request's log line. */
export class RoundTripCounter {
  count = 0;
  async call<T>(work: () => Promise<T>): Promise<T> {
    this.count++;
    const m = requestContext.getStore();
    if (!m) return work();
    m.roundTrips++;
    const started = performance.now();
    try {
      return await work();
    } finally {
      m.storeMs += performance.now() - started;
    }
  }
}

/**
 * The rpc of the wire-protocol backends (PGlite, Postgres): one `select fn(...)` statement, its
 * `result` column, failures as StoreError. `run` sends the statement and returns its rows; it
 * should cancel the statement when `signal` aborts. `call` bounds it in time (guard.ts).
 */
export function sqlRpc(
  counter: RoundTripCounter,
  run: (text: string, params: unknown[], signal: AbortSignal) => Promise<readonly unknown[]>,
  call: <T>(fn: string, attempt: (signal: AbortSignal) => Promise<T>) => Promise<T> = (_fn, attempt) => attempt(new AbortController().signal),
) {
  return async <T>(name: string, args?: RpcArgs): Promise<T> => {
    const { text, params } = rpcStatement(name, args);
    return counter.call(() => call(name, async (signal) => {
      try {
        const rows = await run(text, params, signal);
        return ((rows[0] as { result?: T } | undefined)?.result ?? null) as T;
      } catch (err) {
        const e = err as { message?: string; code?: string };
        throw new StoreError(`${name}: ${e.message ?? String(err)}`, e.code, name, { cause: err });
      }
    }));
  };
}
