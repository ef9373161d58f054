/**
 * Google's SDK errors (GaxiosError, timeouts) as the app's typed UpstreamError, and the rule
 * that says which of them count against the `drive` breaker.
 */
import { TaskCancelledError } from "cockatiel";
import { UpstreamError, parseRetryAfter } from "../../http/errors.js";

/** 403 reasons that mean "slow down", handled like 429 (FACTS §8). */
const RATE_LIMIT_REASONS = new Set(["userRateLimitExceeded", "rateLimitExceeded", "sharingRateLimitExceeded"]);

interface GaxiosLike {
  name?: string;
  message?: string;
  status?: number;
  code?: string | number;
  response?: { status?: number; data?: unknown; headers?: Headers | Record<string, string> };
}

export function toDriveFailure(err: unknown, timeoutMs: number): unknown {
  if (err instanceof UpstreamError) return err;
  if (err instanceof TaskCancelledError) {
    return new UpstreamError({ service: "drive", kind: "timeout", message: `drive did not answer within ${timeoutMs} ms`, cause: err });
  }
  if (!isGaxiosError(err)) return err;
  const g = err;
  const status = g.response?.status ?? g.status;
  if (typeof status === "number" && status > 0) {
    const data = g.response?.data;
    const reason = reasonOf(data);
    const headers = g.response?.headers;
    const retryAfter = headers instanceof Headers ? headers.get("retry-after") : (headers?.["retry-after"] ?? null);
    const hint =
      reason === "storageQuotaExceeded"
        ? " (a service account has no storage of its own: upload into a Shared Drive folder it is a member of)"
        : status === 404
          ? " (check the folder id; with the drive.file scope, folders the app did not create are out of reach)"
          : "";
    return new UpstreamError({
      service: "drive",
      kind: "http",
      status,
      code: reason,
      body: data,
      retryable: status === 429 || status >= 500 || RATE_LIMIT_REASONS.has(reason ?? ""),
      retryAfterMs: parseRetryAfter(retryAfter),
      message: `drive answered ${status}${reason ? ` (${reason})` : ""}${hint}`,
      cause: err,
    });
  }
  const aborted = g.code === "ABORT_ERR" || /abort/i.test(g.message ?? "");
  return new UpstreamError({
    service: "drive",
    kind: aborted ? "timeout" : "network",
    message: aborted ? `drive did not answer within ${timeoutMs} ms` : `drive could not be reached: ${g.message ?? "network error"}`,
    cause: err,
  });
}

/** gaxios marks its errors with a registered symbol (its own `instanceof` check uses it). */
const GAXIOS_ERROR = Symbol.for("gaxios-gaxios-error");
function isGaxiosError(err: unknown): err is GaxiosLike {
  return typeof err === "object" && err !== null && (GAXIOS_ERROR in err || err.constructor?.name === "GaxiosError");
}

function reasonOf(data: unknown): string | undefined {
  const d = data as { error?: { errors?: { reason?: unknown }[]; status?: unknown } | string } | null;
  if (!d || typeof d !== "object") return undefined;
  if (typeof d.error === "string") return d.error; // OAuth token endpoint: {"error":"invalid_grant"}
  const reason = d.error?.errors?.[0]?.reason;
  return typeof reason === "string" ? reason : typeof d.error?.status === "string" ? d.error.status : undefined;
}

/** Only outages count against the breaker: network, timeouts, 429, 5xx and 403 rate limits. */
export function isDriveOutage(err: unknown): boolean {
  return err instanceof UpstreamError && (err.isUpstreamFault || RATE_LIMIT_REASONS.has(err.code ?? ""));
}
