/**
 * Text from outside, normalised once at the edge (the wrapper's JSON and query steps): a NUL
 * character (U+0000) is refused with a 400 naming the field, since PostgreSQL cannot store it
 * in text or jsonb; a lone UTF-16 surrogate (valid in JSON's \u escapes, invalid in UTF-8 and
 * in PostgreSQL's json) becomes U+FFFD. Object keys get the same treatment as values.
 */
import { ApiError } from "../errors.js";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with every lone surrogate replaced by U+FFFD (String.prototype.toWellFormed). */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, "\uFFFD");
}

function nulError(path: string[]): ApiError {
  return new ApiError("validation_failed", "The request contains a NUL character (U+0000), which is not accepted.", {
    details: [{ path: path.join(".") || "(root)", message: "must not contain NUL characters" }],
  });
}

/** `s` well-formed, its NUL characters refused (the error names `path()`) or replaced by U+FFFD. */
function cleanText(s: string, path: () => string[], nul: "refuse" | "replace"): string {
  if (s.includes("\u0000")) {
    if (nul === "refuse") throw nulError(path());
    s = s.replaceAll("\u0000", "\uFFFD");
  }
  return wellFormed(s);
}

/**
 * A copy of a parsed JSON value (or query object) with well-formed strings; throws the 400
 * `validation_failed` error when any string or key contains U+0000, or with `nul: "replace"`
 * (payloads a platform signed and would redeliver for days if refused: Meta's webhooks) writes
 * U+FFFD in its place.
 */
export function normaliseText(value: unknown, path: string[] = [], nul: "refuse" | "replace" = "refuse"): unknown {
  if (typeof value === "string") return cleanText(value, () => path, nul);
  if (Array.isArray(value)) return value.map((v, i) => normaliseText(v, [...path, String(i)], nul));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = cleanText(k, () => [...path, k.replaceAll("\u0000", "\\u0000")], nul);
      // defineProperty: a "__proto__" key stays a plain field, as JSON.parse made it.
      Object.defineProperty(out, key, { value: normaliseText(v, [...path, key], nul), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

/** Parses a JSON body and normalises its text; 400 invalid_json or validation_failed. */
export function parseJsonText(raw: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
  return normaliseText(parsed);
}
