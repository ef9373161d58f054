/**
 * Typed failures of outside calls. Callers degrade on them precisely: an outage is not an empty
 * result. `retryable` says whether trying again may help; the retry policy asks it.
 */
export type UpstreamFailureKind = "http" | "timeout" | "network" | "budget" | "invalid_response";

export class UpstreamError extends Error {
  override name = "UpstreamError";
  readonly service: string;
  readonly kind: UpstreamFailureKind;
  /** HTTP status, when the upstream answered. */
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** Vendor error code (Meta `error.code`, Wix `applicationError.code`, ...), when known. */
  readonly code: string | undefined;
  /** The parsed error body, for callers that map vendor errors. */
  readonly body: unknown;
  /** From a Retry-After header, when the upstream sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    service: string;
    kind: UpstreamFailureKind;
    message: string;
    status?: number;
    retryable?: boolean;
    code?: string;
    body?: unknown;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.service = init.service;
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = init.retryable ?? (init.kind === "timeout" || init.kind === "network" || (init.status !== undefined && isRetryableStatus(init.status)));
    this.code = init.code;
    this.body = init.body;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Whether the failure says the upstream is unhealthy (counts against its breaker). */
  get isUpstreamFault(): boolean {
    return this.kind === "timeout" || this.kind === "network" || this.kind === "invalid_response" || (this.status !== undefined && isRetryableStatus(this.status));
  }
}

/** The breaker for `service` is open: no request was sent. */
export class BreakerOpenError extends Error {
  override name = "BreakerOpenError";
  constructor(
    readonly service: string,
    readonly retryAfterMs: number,
  ) {
    super(`${service} is unavailable (circuit open); retry in ${Math.ceil(retryAfterMs / 1000)} s`);
  }
}

/** 429 and 5xx are worth retrying; other statuses are the caller's problem. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** True when an error means "the outside service is unavailable" (for graceful degradation). */
export function isUnavailable(err: unknown): err is UpstreamError | BreakerOpenError {
  return err instanceof BreakerOpenError || (err instanceof UpstreamError && (err.isUpstreamFault || err.kind === "budget"));
}
