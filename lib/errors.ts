/**
 * The closed set of API error codes, their HTTP statuses (one exhaustive map), and ApiError,
 * which handlers throw and lib/route.ts turns into `{"error":{"code","message"}}`.
 */
export type ErrorCode =
  | "invalid_json"
  | "validation_failed"
  | "bad_request"
  | "unauthorized"
  | "invalid_signature"
  | "forbidden"
  | "origin_not_allowed"
  | "not_found"
  | "method_not_allowed"
  | "request_timeout"
  | "conflict"
  | "window_closed"
  | "gone"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unprocessable"
  | "rate_limited"
  | "client_closed"
  | "internal"
  | "upstream_unavailable"
  | "store_unavailable"
  | "payments_not_configured"
  | "not_configured";

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case "invalid_json":
    case "validation_failed":
    case "bad_request":
      return 400;
    case "unauthorized":
    case "invalid_signature":
      return 401;
    case "forbidden":
    case "origin_not_allowed":
      return 403;
    case "not_found":
      return 404;
    case "method_not_allowed":
      return 405;
    case "request_timeout":
      return 408;
    case "conflict":
    case "window_closed":
      return 409;
    case "gone":
      return 410;
    case "payload_too_large":
      return 413;
    case "unsupported_media_type":
      return 415;
    case "unprocessable":
      return 422;
    case "rate_limited":
      return 429;
    // nginx's "client closed request": the client went away mid-request; nobody reads the answer.
    case "client_closed":
      return 499;
    case "internal":
      return 500;
    case "upstream_unavailable":
      return 502;
    case "store_unavailable":
    case "payments_not_configured":
    case "not_configured":
      return 503;
    default: {
      const never: never = code;
      throw new Error(`unmapped error code ${String(never)}`);
    }
  }
}

export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { details?: unknown; retryAfterSeconds?: number; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = statusOf(code);
  }
}
