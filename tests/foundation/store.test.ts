import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { StoreError, rpcStatement } from "../../lib/store/store.js";
import { cacheGet, cachePut, cleanupExpired, dedupClaim, dedupRelease, rateLimitHit } from "../../lib/store/queries.js";
import { createTestStore, setDbNow } from "../helpers/store.js";

let store: PgliteStore;
beforeAll(async () => {
  store = await createTestStore();
});
afterAll(() => store.close());

describe("store on PGlite", () => {
  it("has every migration applied and the tables locked down (RLS on)", async () => {
    const { rows } = await store.db.query<{ relname: string; relrowsecurity: boolean }>(
      "select relname, relrowsecurity from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and relkind = 'r'",
    );
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) expect(r, r.relname).toMatchObject({ relrowsecurity: true });
  });

  it("lets only service_role execute the functions", async () => {
    const { rows } = await store.db.query<{ anon: boolean; service: boolean }>(
      "select has_function_privilege('anon', 'public.dedup_claim(text,integer)', 'execute') as anon, has_function_privilege('service_role', 'public.dedup_claim(text,integer)', 'execute') as service",
    );
    expect(rows[0]).toEqual({ anon: false, service: true });
  });

  it("dedup_claim is true once per live key, again after expiry or release", async () => {
    await setDbNow(store, "2026-01-01T00:00:00Z");
    expect(await dedupClaim(store, "wamid.1", 60)).toBe(true);
    expect(await dedupClaim(store, "wamid.1", 60)).toBe(false);
    expect(await dedupClaim(store, "wamid.2", 60)).toBe(true);
    await setDbNow(store, "2026-01-01T00:01:01Z");
    expect(await dedupClaim(store, "wamid.1", 60)).toBe(true);
    await dedupRelease(store, "wamid.1");
    expect(await dedupClaim(store, "wamid.1", 60)).toBe(true);
    await setDbNow(store, null);
  });

  it("rate_limit_hit allows `limit` hits per window, then says when to retry", async () => {
    await setDbNow(store, "2026-01-01T00:00:00Z");
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await rateLimitHit(store, "ip:1", 3, 60));
    expect(hits.map((h) => h.allowed)).toEqual([true, true, true, false]);
    expect(hits.map((h) => h.remaining)).toEqual([2, 1, 0, 0]);
    expect(hits[3]!.retry_after_seconds).toBe(60);
    await setDbNow(store, "2026-01-01T00:00:45Z");
    expect((await rateLimitHit(store, "ip:1", 3, 60)).retry_after_seconds).toBe(15);
    await setDbNow(store, "2026-01-01T00:01:00Z");
    expect(await rateLimitHit(store, "ip:1", 3, 60)).toMatchObject({ allowed: true, remaining: 2 });
    await setDbNow(store, null);
  });

  it("cache_get returns what cache_put stored until the TTL passes", async () => {
    await setDbNow(store, "2026-01-01T00:00:00Z");
    await cachePut(store, "wix:search:robe", { products: [{ id: "p1", price: "19.90" }] }, 120);
    expect(await cacheGet(store, "wix:search:robe")).toEqual({ products: [{ id: "p1", price: "19.90" }] });
    expect(await cacheGet(store, "absent")).toBeNull();
    await cachePut(store, "wix:search:robe", [1, 2], 120);
    expect(await cacheGet(store, "wix:search:robe")).toEqual([1, 2]);
    await setDbNow(store, "2026-01-01T00:02:00Z");
    expect(await cacheGet(store, "wix:search:robe")).toBeNull();
    await setDbNow(store, null);
  });

  it("cleanup_expired deletes only expired rows", async () => {
    await setDbNow(store, "2030-01-01T00:00:00Z");
    await dedupClaim(store, "cleanup:live", 3600);
    await cachePut(store, "cleanup:live", { a: 1 }, 3600);
    const counts = await cleanupExpired(store);
    expect(counts.dedup).toBeGreaterThan(0);
    expect(counts.cache).toBeGreaterThan(0);
    expect(counts.rate_limit).toBeGreaterThan(0);
    expect(await dedupClaim(store, "cleanup:live", 3600)).toBe(false);
    expect(await cacheGet(store, "cleanup:live")).toEqual({ a: 1 });
    await setDbNow(store, null);
  });

  it("counts one round trip per rpc", async () => {
    const before = store.roundTrips;
    await dedupClaim(store, "rt", 1);
    await cacheGet(store, "rt");
    expect(store.roundTrips - before).toBe(2);
  });

  it("raises a StoreError for an unknown function and refuses unsafe names", async () => {
    await expect(store.rpc("no_such_function")).rejects.toBeInstanceOf(StoreError);
    expect(() => rpcStatement("x; drop table app_cache", {})).toThrow(StoreError);
    expect(() => rpcStatement("cache_get", { "p_key) or 1=1 --": 1 })).toThrow(StoreError);
  });
});
