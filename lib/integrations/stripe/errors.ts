/**
 * Stripe SDK errors as the rest of the app understands them: which ones say Stripe is
 * unhealthy (they count against the "stripe" circuit breaker) and their UpstreamError form.
 * A 4xx (StripeInvalidRequestError, authentication, permission, idempotency, card) is the
 * caller's problem, not an outage.
 */
import { UpstreamError, parseRetryAfter } from "../../http/errors.js";

interface StripeLikeError {
  type?: string;
  statusCode?: number;
  code?: string;
  message?: string;
  param?: string;
  rawType?: string;
  headers?: Record<string, string>;
  requestId?: string;
}

const asStripe = (err: unknown): StripeLikeError | null =>
  err && typeof err === "object" && typeof (err as StripeLikeError).type === "string" && (err as StripeLikeError).type!.startsWith("Stripe")
    ? (err as StripeLikeError)
    : null;

/** True when the error is one the SDK raised for an answer or a failed connection. */
export function isStripeError(err: unknown): boolean {
  return asStripe(err) !== null;
}

/** Breaker rule: connection failures, timeouts, 429 and 5xx count; 4xx answers do not. */
export function isStripeUpstreamFailure(err: unknown): boolean {
  const e = asStripe(err);
  if (!e) return true;
  if (e.type === "StripeConnectionError" || e.type === "StripeAPIError" || e.type === "StripeRateLimitError") return true;
  return e.statusCode !== undefined && (e.statusCode === 429 || e.statusCode >= 500);
}

/** A Stripe SDK error as an UpstreamError (service "stripe"); other errors are returned as is. */
export function toUpstreamError(err: unknown): unknown {
  const e = asStripe(err);
  if (!e) return err;
  const connection = e.type === "StripeConnectionError";
  const timeout = connection && /timeout/i.test(e.message ?? "");
  return new UpstreamError({
    service: "stripe",
    kind: timeout ? "timeout" : connection ? "network" : "http",
    message: `Stripe ${connection ? "connection failed" : `answered ${e.statusCode ?? "?"}`}: ${e.message ?? e.type}`,
    ...(e.statusCode !== undefined ? { status: e.statusCode } : {}),
    ...(e.code ? { code: e.code } : {}),
    body: { type: e.rawType, code: e.code, param: e.param, requestId: e.requestId },
    retryable: isStripeUpstreamFailure(err),
    ...(e.headers?.["retry-after"] ? { retryAfterMs: parseRetryAfter(e.headers["retry-after"]) } : {}),
    cause: err,
  });
}
