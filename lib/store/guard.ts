/**
 * Bounds every store call of the networked backends (Postgres, Supabase): a call gets at most the request's remaining
 * budget (never more than STORE_CALL_MAX_MS), is cancelled when that runs out, and fails as a
 * StoreError (code "timeout"). After a failure that says the database is unreachable, calls
 * fail at once (code "unavailable") for a short cool-down instead of each waiting for its own
 * timeout, so a request that makes several store calls during an outage still answers within
 * its budget; the first call after the cool-down tries the database again (recovery needs no
 * restart). The guard is per process: the store cannot keep its own breaker in itself.
 */
import { requestContext } from "../request-context.js";
import { StoreError } from "./store.js";

/** The longest a single store call may take, even with budget to spare (cron, deferred work). */
export const STORE_CALL_MAX_MS = 10_000;
/** A call is never given less than this, so a write just after the deadline can still land. */
export const STORE_CALL_MIN_MS = 500;
/** After an unreachable-database failure, calls fail fast for this long. */
export const STORE_DOWN_COOL_DOWN_MS = 1_000;

/** Error codes (postgres.js, Node sockets, PostgreSQL SQLSTATE) that mean "cannot reach it". */
const UNREACHABLE = new Set([
  "timeout",
  "network",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "53300", // too_many_connections
]);

/** True when a store error means the database could not be reached (not a bad query). */
export function isUnreachable(code: string | undefined): boolean {
  return !!code && (UNREACHABLE.has(code) || code.startsWith("08"));
}

/** How long the next store call may take: the request's remaining budget, within bounds. */
export function storeCallTimeoutMs(now = Date.now()): number {
  const deadline = requestContext.getStore()?.deadline;
  const left = deadline === undefined ? STORE_CALL_MAX_MS : deadline - now;
  return Math.max(STORE_CALL_MIN_MS, Math.min(STORE_CALL_MAX_MS, left));
}

export interface StoreGuard {
  /**
   * Runs one store call. `attempt` receives a signal aborted when the call runs out of time; it
   * should cancel the query then. Failures reach the caller as StoreError.
   */
  call<T>(fn: string, attempt: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Epoch ms until which calls fail fast (0 when the database is believed reachable). */
  readonly downUntil: number;
}

export function createStoreGuard(opts: { coolDownMs?: number } = {}): StoreGuard {
  const coolDownMs = opts.coolDownMs ?? STORE_DOWN_COOL_DOWN_MS;
  let downUntil = 0;
  return {
    get downUntil() {
      return downUntil;
    },
    async call<T>(fn: string, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
      if (Date.now() < downUntil) {
        throw new StoreError(`${fn}: the database was unreachable a moment ago; not retried yet`, "unavailable", fn);
      }
      const ms = storeCallTimeoutMs();
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // Reject first: the aborted attempt's own rejection must not win the race.
          reject(new StoreError(`${fn}: no answer from the database within ${ms} ms`, "timeout", fn));
          controller.abort();
        }, ms);
      });
      try {
        return await Promise.race([attempt(controller.signal), timedOut]);
      } catch (err) {
        const storeErr =
          err instanceof StoreError
            ? err
            : new StoreError(`${fn}: ${(err as Error)?.message ?? String(err)}`, (err as { code?: string })?.code, fn, { cause: err });
        if (isUnreachable(storeErr.code)) downUntil = Date.now() + coolDownMs;
        throw storeErr;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
