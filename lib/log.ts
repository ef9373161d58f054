/**
 * Structured logs: one JSON line per event on stdout/stderr. Never pass secrets or PII here;
 * `redact` masks emails, phone numbers and token-like strings in any string it is given, and
 * `scrub` also masks the values of sensitive keys (authorization, cookie, password, token, ...).
 * lib/integrations/sentry reuses `scrub` on error events.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
// A run of digits and separators standing on its own (not inside a UUID, a date-time or a word)
// with at least 9 digits: "+33 6 12 34 56 78", "06.12.34.56.78", "(555) 123-4567", "+14155550123".
const PHONE = /(?<![\w/.-])\+?\d[\d\s().-]{7,}\d(?![\w:-])/g;
const TOKEN = new RegExp(
  [
    /\b(?:sk|rk|pk|whsec|hf|sb_secret|sb_publishable|EAA[A-Za-z0-9]*)_?[A-Za-z0-9_-]{12,}\b/.source,
    /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/.source,
    /\bya29\.[A-Za-z0-9._-]+/.source, // Google OAuth access token
    /\b1\/\/[A-Za-z0-9._-]{20,}/.source, // Google OAuth refresh token
    /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/.source, // JWT
    /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/.source,
  ].join("|"),
  "g",
);
/** Keys whose string values are never logged or reported, whatever they look like. */
const SENSITIVE_KEY = /^(?:authorization|proxy-authorization|cookie|set-cookie|password|passwd|pass|secret|client_?secret|.*_secret|token|access_?token|refresh_?token|id_?token|api_?key|x-api-key|private_?key|assertion|signature|x-hub-signature-256|stripe-signature)$/i;

/** Masks emails, phone numbers and tokens in a string. */
export function redact(text: string): string {
  return text
    .replace(TOKEN, "[token]")
    .replace(EMAIL, "[email]")
    .replace(PHONE, (m) => ((m.match(/\d/g)?.length ?? 0) >= 9 ? "[phone]" : m));
}

/** Deep copy of `value` with every string redacted and the values of sensitive keys masked. */
export function scrub(value: unknown, depth = 0, maxDepth = 4): unknown {
  if (typeof value === "string") return redact(value);
  if (depth > maxDepth || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { name: value.name, message: redact(value.message) };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, maxDepth));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SENSITIVE_KEY.test(k) && v !== null && v !== undefined && typeof v !== "boolean" ? "[redacted]" : scrub(v, depth + 1, maxDepth)]),
  );
}

export function createLogger(level: LogLevel = "info", base: Record<string, unknown> = {}, write?: (line: string, level: LogLevel) => void): Logger {
  const out =
    write ??
    ((line: string, lvl: LogLevel) => {
      (lvl === "error" || lvl === "warn" ? process.stderr : process.stdout).write(line + "\n");
    });
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    out(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...base, ...(scrub(fields ?? {}) as object) }), lvl);
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}
