/**
 * Bounds every store call of the networked backends (Postgres, Supabase): a call gets at most the request's remaining
 * budget (never more than STORE_CALL_MAX_MS), is cancelled when that runs out, and fails as a
 * StoreError (code "timeout"). After a failure that says the database is unreachable, calls
 * fail at once (code "unavailable") instead of each waiting for its own timeout, so a request
 * that makes several store calls during an outage still answers within its budget, and calls do
 * not pile up in the driver's queue (to run late, after their callers were told they failed).
 * After a short cool-down one call at a time probes the database; the first success ends the
 * outage (recovery needs no restart). The guard is per process: the store cannot keep its
 * breaker in itself.
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
  /** The database failed as unreachable and no call has succeeded since. */
  let suspect = false;
  let probing = false;
  return {
    get downUntil() {
      return downUntil;
    },
    async call<T>(fn: string, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
      if (Date.now() < downUntil || (suspect && probing)) {
        throw new StoreError(`${fn}: the database was unreachable a moment ago; not retried yet`, "unavailable", fn);
      }
      const probe = suspect;
      if (probe) probing = true;
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
        const result = await Promise.race([attempt(controller.signal), timedOut]);
        suspect = false;
        return result;
      } catch (err) {
        const storeErr =
          err instanceof StoreError
            ? err
            : new StoreError(`${fn}: ${(err as Error)?.message ?? String(err)}`, (err as { code?: string })?.code, fn, { cause: err });
        if (isUnreachable(storeErr.code)) {
          downUntil = Date.now() + coolDownMs;
          suspect = true;
        } else {
          suspect = false; // the database answered (with an error of the query itself)
        }
        throw storeErr;
      } finally {
        clearTimeout(timer);
        if (probe) probing = false;
      }
    },
  };
}
