/** Typed helpers over the foundation's SQL functions (supabase/migrations/*_foundation.sql). */
import type { Store } from "./store.js";

/** True for exactly one caller per live key. */
export function dedupClaim(store: Store, key: string, ttlSeconds: number): Promise<boolean> {
  return store.rpc<boolean>("dedup_claim", { p_key: key, p_ttl_seconds: Math.ceil(ttlSeconds) });
}

export function dedupRelease(store: Store, key: string): Promise<void> {
  return store.rpc<void>("dedup_release", { p_key: key });
}

export interface RateLimitResult { allowed: boolean; remaining: number; reset_at: string; retry_after_seconds: number }

export function rateLimitHit(store: Store, key: string, limit: number, windowSeconds: number): Promise<RateLimitResult> {
  return store.rpc<RateLimitResult>("rate_limit_hit", { p_key: key, p_limit: limit, p_window_seconds: windowSeconds });
}

export function cacheGet<T>(store: Store, key: string): Promise<T | null> {
  return store.rpc<T | null>("cache_get", { p_key: key });
}

export function cachePut(store: Store, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  return store.rpc<void>("cache_put", { p_key: key, p_value: value, p_ttl_seconds: Math.ceil(ttlSeconds) });
}

export function cleanupExpired(store: Store): Promise<Record<string, number>> {
  return store.rpc<Record<string, number>>("cleanup_expired");
}
