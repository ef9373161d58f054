/**
 * Per-request context carried through async calls (AsyncLocalStorage): the round trips the
 * store made and the time spent waiting for them, the request's deadline for outside calls, and breaker events for the log line.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestContext {
  roundTrips: number;
  /** Milliseconds spent in store calls (summed: calls made in parallel each count). */
  storeMs: number;
  /** Epoch ms after which no outside call may start or retry. */
  deadline: number;
  breakerEvents: string[];
}

export const requestContext = new AsyncLocalStorage<RequestContext>();

export function newRequestContext(budgetMs: number): RequestContext {
  return { roundTrips: 0, storeMs: 0, deadline: Date.now() + budgetMs, breakerEvents: [] };
}
