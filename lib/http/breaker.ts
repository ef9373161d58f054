/**
 * Circuit breaker whose state lives in Postgres (supabase/migrations/*_breakers.sql), so all
 * instances share it. `withBreaker(name, fn)` wraps one attempt at an outside call: it asks the
 * database first (allow / probe / reject), runs the call, and reports the outcome. A 4xx answer
 * is the caller's problem and does not count; network errors, timeouts, 429 and 5xx do.
 */
import type { BreakerName, BreakerSettings } from "../config.js";
import type { Logger } from "../log.js";
import { requestContext } from "../request-context.js";
import type { Store } from "../store/store.js";
import { BreakerOpenError, UpstreamError } from "./errors.js";

interface AcquireResult { decision: "allow" | "probe" | "reject"; retry_after_ms?: number; probe_token?: string; charged?: boolean }
interface ReportResult { state: "closed" | "open" | "half_open"; failures: number; changed: boolean }

export interface BreakerDeps { store: Store; log: Logger; settings: Record<BreakerName, BreakerSettings> }

/** Whether an error counts as an upstream failure. SDK wrappers pass their own rule. */
export type FailureRule = (err: unknown) => boolean;

export const defaultFailureRule: FailureRule = (err) => (err instanceof UpstreamError ? err.isUpstreamFault : true);

export async function withBreaker<T>(deps: BreakerDeps, name: BreakerName, fn: () => Promise<T>, isFailure: FailureRule = defaultFailureRule): Promise<T> {
  const { store, log } = deps;
  const { threshold, openMs } = deps.settings[name];
  let ticket: AcquireResult;
  try {
    ticket = await store.rpc<AcquireResult>("breaker_acquire", { p_name: name, p_threshold: threshold, p_open_ms: openMs });
  } catch (err) {
    // The database is down: do not block the outside call on it (fail open), but say so.
    log.warn("breaker unavailable, calling without it", { breaker: name, error: (err as Error).message });
    return fn();
  }
  if (ticket.decision === "reject") {
    throw new BreakerOpenError(name, ticket.retry_after_ms ?? openMs);
  }
  if (ticket.decision === "probe") event(log, name, "half_open probe");

  const report = async (success: boolean) => {
    if (success && ticket.decision === "allow" && !ticket.charged) return; // healthy: nothing to write
    try {
      const r = await store.rpc<ReportResult>("breaker_report", {
        p_name: name,
        p_success: success,
        p_threshold: threshold,
        p_open_ms: openMs,
        p_probe_token: ticket.probe_token,
        p_charged: ticket.charged ?? false,
      });
      if (r.changed) event(log, name, r.state === "open" ? `opened after ${r.failures} failures` : r.state);
    } catch (err) {
      log.warn("breaker report failed", { breaker: name, error: (err as Error).message });
    }
  };

  let result: T;
  try {
    result = await fn();
  } catch (err) {
    // A 4xx means the upstream is up: it closes a half-open breaker like a success.
    await report(!isFailure(err));
    throw err;
  }
  await report(true);
  return result;
}

function event(log: Logger, name: string, what: string) {
  const text = `${name}: ${what}`;
  requestContext.getStore()?.breakerEvents.push(text);
  log.warn("breaker state changed", { breaker: name, event: what });
}

export interface BreakerState { name: string; state: "closed" | "open" | "half_open"; failures: number; retry_after_ms: number }
