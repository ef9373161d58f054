/**
 * Responses: JSON, the one error shape `{"error":{"code","message","details?"}}`, and the map
 * from known failure types (store, breaker, upstream) to API errors; anything else is a bug.
 */
import { ApiError, type ErrorCode } from "../errors.js";

export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(data), { ...init, headers });
}

export function errorResponse(err: ApiError): Response {
  const headers: Record<string, string> = { ...err.extra.headers };
  if (err.extra.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(err.extra.retryAfterSeconds)));
  const body: { code: ErrorCode; message: string; details?: unknown } = { code: err.code, message: err.message };
  if (err.extra.details !== undefined) body.details = err.extra.details;
  return json({ error: body }, { status: err.status, headers });
}

/** Maps known failure types to API errors; unknown errors stay bugs (500). */
export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  const e = err as { name?: string; retryAfterMs?: number; service?: string } | null;
  switch (e?.name) {
    case "StoreError":
      return new ApiError("store_unavailable", "The service is temporarily unavailable. Please try again shortly.", { retryAfterSeconds: 5 });
    case "BreakerOpenError":
    case "UpstreamError":
      return new ApiError("upstream_unavailable", `An outside service (${e.service ?? "upstream"}) is unavailable. Please try again shortly.`, {
        retryAfterSeconds: Math.ceil((e.retryAfterMs ?? 5000) / 1000),
      });
    default:
      return null;
  }
}
