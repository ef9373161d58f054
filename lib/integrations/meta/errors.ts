/**
 * Meta Graph error bodies (`{error: {code, error_subcode, message}}`) and what a failed send
 * means for the outbound ledger: a tagged union the caller switches on (retry later, window
 * closed, undeliverable, give up, BSUID refused), one classifier per platform because WhatsApp
 * and Messenger give the same numbers different meanings.
 */
import { BreakerOpenError, UpstreamError } from "../../http/index.js";

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

export type SendFailure =
  /** Try again later (throttling, outage, request budget spent): the row stays retryable. */
  | { kind: "retry"; code: string | undefined; reason: string; retrySeconds: number }
  /** Meta says the 24 h window is closed: send the template, or record undeliverable. */
  | { kind: "window"; code: string | undefined; reason: string }
  /** The user cannot receive it (blocked, unregistered, BSUID not allowed and no phone...). */
  | { kind: "undeliverable"; code: string | undefined; reason: string }
  /** Our request or credentials are wrong: recorded, not retried. */
  | { kind: "give_up"; code: string | undefined; reason: string; alert?: boolean }
  /** WhatsApp 131062: a BSUID recipient is not allowed for this message type. */
  | { kind: "bsuid"; code: string; reason: string };

/** What one platform says about a Graph error, before the shared rules apply. */
type PlatformRule = (e: { code: string | undefined; subcode: string | undefined; reason: string; later: (minSeconds: number) => number }) => SendFailure | undefined;

const WA_THROTTLE = new Set(["130429", "131056", "131048", "80007", "4", "613"]);
const MS_THROTTLE = new Set(["613", "4", "32", "1200", "2", "-1"]);

const whatsappRule: PlatformRule = ({ code, reason, later }) => {
  if (code === "131047") return { kind: "window", code, reason };
  if (code && WA_THROTTLE.has(code)) return { kind: "retry", code, reason, retrySeconds: later(code === "131056" ? 60 : 30) };
  if (code === "131026") return { kind: "undeliverable", code, reason };
  if (code === "131062") return { kind: "bsuid", code, reason };
  if (code === "190") return { kind: "give_up", code, reason, alert: true };
  return undefined;
};

const messengerRule: PlatformRule = ({ code, subcode, reason, later }) => {
  if (code === "10" && subcode === "2018278") return { kind: "window", code, reason };
  if (code === "551" || (code === "100" && subcode === "2018001")) return { kind: "undeliverable", code, reason };
  if (code && MS_THROTTLE.has(code)) return { kind: "retry", code, reason, retrySeconds: later(30) };
  if (code === "190") return { kind: "give_up", code, reason, alert: true };
  return undefined;
};

function classify(rule: PlatformRule, err: unknown, attempts: number): SendFailure {
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
  const platform = rule({ code, subcode, reason, later });
  if (platform) return platform;
  if (code === "100") return { kind: "give_up", code, reason };
  if (err.retryable || err.kind === "budget" || err.isUpstreamFault) return { kind: "retry", code, reason, retrySeconds: later(30) };
  return { kind: "give_up", code, reason };
}

/** Maps a failed WhatsApp Cloud API send to what the ledger does about it. */
export const classifyWhatsAppError = (err: unknown, attempts = 1): SendFailure => classify(whatsappRule, err, attempts);

/** Maps a failed Messenger Send API call to what the ledger does about it. */
export const classifyMessengerError = (err: unknown, attempts = 1): SendFailure => classify(messengerRule, err, attempts);
