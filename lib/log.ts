/**
 * Structured logs: one JSON line per event on stdout/stderr. Never pass secrets or PII here;
 * `redact` masks emails, phone numbers and token-like strings in any string it is given.
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
const PHONE = /\+?\d[\d\s().-]{7,}\d/g;
const TOKEN = /\b(?:sk|rk|pk|whsec|hf|sb_secret|sb_publishable|EAA[A-Za-z0-9]*)_?[A-Za-z0-9_-]{12,}\b|\bBearer\s+[A-Za-z0-9._~+/=-]+/g;

/** Masks emails, phone numbers and tokens in a string. */
export function redact(text: string): string {
  return text.replace(TOKEN, "[token]").replace(EMAIL, "[email]").replace(PHONE, "[phone]");
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { name: value.name, message: redact(value.message) };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
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
