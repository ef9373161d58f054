/**
 * Meta Graph API plumbing shared by WhatsApp and Messenger: the HTTP clients (lib/http: timeout,
 * retries on 429/5xx/network inside the time budget, the shared breaker), the error-body
 * readers, and what a failed send means for the ledger (retry later, give up, window closed).
 *
 * Sends are retried inline on 429/5xx/timeouts (`idempotent: true`): Graph has no idempotency
 * key, so a 5xx or a timeout after Meta accepted the message may, rarely, deliver it twice; we
 * prefer that to a reply that waits for the next cron run.
 */
import { BreakerOpenError, UpstreamError, httpClient, type HttpClient } from "../http/index.js";
import type { Services } from "../services.js";
import type { ChannelName } from "./types.js";

/** Meta's `error.code` from an error body, as a string. */
export function graphErrorCode(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return code === undefined || code === null ? undefined : String(code);
}

/** Meta's `error.error_subcode`, when present. */
export function graphErrorSubcode(body: unknown): string | undefined {
  const code = (body as { error?: { error_subcode?: unknown } } | null)?.error?.error_subcode;
  return code === undefined || code === null ? undefined : String(code);
}

export function graphClient(services: Services, channel: ChannelName): HttpClient {
  const c = services.config[channel];
  return httpClient(services, { service: channel, baseUrl: c.baseUrl, timeoutMs: c.timeoutMs, retry: c.retry, errorCode: graphErrorCode });
}

export type SendFailure =
  /** Try again later (throttling, outage): the row stays retryable. */
  | { kind: "retry"; code: string | undefined; reason: string; retrySeconds: number }
  /** Meta says the 24 h window is closed: send the template, or record undeliverable. */
  | { kind: "window"; code: string | undefined; reason: string }
  /** The user cannot receive it (blocked, unregistered, BSUID not allowed and no phone...). */
  | { kind: "undeliverable"; code: string | undefined; reason: string }
  /** Our request or credentials are wrong: recorded, not retried. */
  | { kind: "give_up"; code: string | undefined; reason: string; alert?: boolean }
  /** WhatsApp 131062: a BSUID recipient is not allowed for this message type. */
  | { kind: "bsuid"; code: string; reason: string };

const WA_THROTTLE = new Set(["130429", "131056", "131048", "80007", "4", "613"]);
const MS_THROTTLE = new Set(["613", "4", "32", "1200", "2", "-1"]);

/** Maps a failed Graph call to what the ledger does about it. */
export function classifySendError(channel: ChannelName, err: unknown, attempts = 1): SendFailure {
  const backoff = Math.min(3600, 60 * 2 ** Math.max(0, attempts - 1));
  if (err instanceof BreakerOpenError) {
    return { kind: "retry", code: undefined, reason: err.message, retrySeconds: Math.max(30, Math.ceil(err.retryAfterMs / 1000)) };
  }
  if (!(err instanceof UpstreamError)) {
    return { kind: "give_up", code: undefined, reason: `unexpected error: ${(err as Error)?.message ?? String(err)}` };
  }
  const code = err.code;
  const subcode = graphErrorSubcode(err.body);
  const message = (err.body as { error?: { message?: unknown } } | null)?.error?.message;
  const reason = `${code ? `Meta error ${code}${subcode ? `/${subcode}` : ""}: ` : ""}${typeof message === "string" ? message.slice(0, 200) : err.message}`;
  const later = (minSeconds: number) => Math.max(minSeconds, err.retryAfterMs ? Math.ceil(err.retryAfterMs / 1000) : backoff);

  if (channel === "whatsapp") {
    if (code === "131047") return { kind: "window", code, reason };
    if (code && WA_THROTTLE.has(code)) return { kind: "retry", code, reason, retrySeconds: later(code === "131056" ? 60 : 30) };
    if (code === "131026") return { kind: "undeliverable", code, reason };
    if (code === "131062") return { kind: "bsuid", code, reason };
    if (code === "190") return { kind: "give_up", code, reason, alert: true };
  } else {
    if (code === "10" && subcode === "2018278") return { kind: "window", code, reason };
    if (code === "551" || (code === "100" && subcode === "2018001")) return { kind: "undeliverable", code, reason };
    if (code && MS_THROTTLE.has(code)) return { kind: "retry", code, reason, retrySeconds: later(30) };
    if (code === "190") return { kind: "give_up", code, reason, alert: true };
  }
  if (code === "100") return { kind: "give_up", code, reason };
  if (err.retryable || err.kind === "budget" || err.isUpstreamFault) return { kind: "retry", code, reason, retrySeconds: later(30) };
  return { kind: "give_up", code, reason };
}
