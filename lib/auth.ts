/**
 * Secret comparisons in constant time: `Authorization: Bearer <secret>` (CRON_SECRET,
 * ADMIN_API_KEY) and Meta verify tokens. Both
 * sides are hashed first, so neither the length nor a prefix of the secret leaks through timing.
 */
import { createHash, timingSafeEqual } from "node:crypto";

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
