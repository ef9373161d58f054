/**
 * Secret comparisons in constant time: `Authorization: Bearer <secret>` (CRON_SECRET,
 * ADMIN_API_KEY) and Meta verify tokens. Both
 * sides are hashed first, so neither the length nor a prefix of the secret leaks through timing.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/** Constant-time string equality. */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The token of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match ? match[1]! : null;
}

/** True when the request carries exactly `Bearer <secret>`. */
export function bearerMatches(request: Request, secret: string): boolean {
  const token = bearerToken(request);
  return token !== null && safeEqual(token, secret);
}

/** Headers of an internal call (the webhooks calling POST /api/channel-worker). */
export const INTERNAL_TIMESTAMP_HEADER = "x-comptoir-timestamp";
export const INTERNAL_SIGNATURE_HEADER = "x-comptoir-signature";
/** An internal call older or newer than this (instance clocks) is refused: a captured one cannot be replayed later. */
export const INTERNAL_TOLERANCE_SECONDS = 300;

/** `sha256=<hex>` of `<timestamp>.<METHOD> <path>` with the worker secret. */
export function internalSignature(secret: string, timestamp: number, method: string, path: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${method.toUpperCase()} ${path}`).digest("hex")}`;
}

/** The two headers that authenticate an internal call to `method path`. */
export function signInternal(secret: string, method: string, path: string, now = Date.now()): Record<string, string> {
  const ts = Math.floor(now / 1000);
  return { [INTERNAL_TIMESTAMP_HEADER]: String(ts), [INTERNAL_SIGNATURE_HEADER]: internalSignature(secret, ts, method, path) };
}

/** True when the request carries a fresh, valid internal signature for its own method and path. */
export function internalMatches(request: Request, secret: string, now = Date.now()): boolean {
  const ts = Number(request.headers.get(INTERNAL_TIMESTAMP_HEADER));
  const sig = request.headers.get(INTERNAL_SIGNATURE_HEADER);
  if (!sig || !Number.isInteger(ts) || Math.abs(now / 1000 - ts) > INTERNAL_TOLERANCE_SECONDS) return false;
  return safeEqual(sig, internalSignature(secret, ts, request.method, new URL(request.url).pathname));
}
