/** Rate limits in Postgres (fixed windows, shared by every instance): throw 429 when exceeded. */
import { ApiError } from "./errors.js";
import { rateLimitHit, type RateLimitResult } from "./store/queries.js";
import type { Store } from "./store/store.js";

export interface RateLimit { limit: number; windowSeconds: number }

/** Counts one hit on `key`; throws `rate_limited` (429 + Retry-After) when over the limit. */
export async function enforceRateLimit(store: Store, key: string, rule: RateLimit, message: string): Promise<RateLimitResult> {
  const result = await rateLimitHit(store, key, rule.limit, rule.windowSeconds);
  if (!result.allowed) throw new ApiError("rate_limited", message, { retryAfterSeconds: result.retry_after_seconds });
  return result;
}
