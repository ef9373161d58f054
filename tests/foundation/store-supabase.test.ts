import { describe, expect, it } from "vitest";
import { http, HttpResponse } from "msw";
import { createSupabaseStore } from "../../lib/store/supabase.js";
import { StoreError } from "../../lib/store/store.js";
import { useMsw } from "../helpers/msw.js";

const SUPABASE_URL = "https://abcd.supabase.co";
const KEY = "sb_secret_test_key";
const server = useMsw();

describe("Supabase store", () => {
  it("sends a PostgREST rpc with the named arguments and returns the parsed jsonb", async () => {
    let seen: { url: string; headers: Headers; body: unknown } | undefined;
    server.use(
      http.post(`${SUPABASE_URL}/rest/v1/rpc/rate_limit_hit`, async ({ request }) => {
        seen = { url: request.url, headers: request.headers, body: await request.json() };
        return HttpResponse.json({ allowed: true, remaining: 9, reset_at: "2026-01-01T00:01:00+00:00", retry_after_seconds: 60 });
      }),
    );
    const store = await createSupabaseStore({ url: SUPABASE_URL, serviceRoleKey: KEY });
    const res = await store.rpc("rate_limit_hit", { p_key: "ip:1", p_limit: 10, p_window_seconds: 60, p_unused: undefined });
    expect(res).toEqual({ allowed: true, remaining: 9, reset_at: "2026-01-01T00:01:00+00:00", retry_after_seconds: 60 });
    expect(seen!.body).toEqual({ p_key: "ip:1", p_limit: 10, p_window_seconds: 60 });
    expect(seen!.headers.get("apikey")).toBe(KEY);
    expect(seen!.headers.get("authorization")).toBe(`Bearer ${KEY}`);
    expect(store.roundTrips).toBe(1);
  });

  it("returns a boolean result as is, and null for a void function", async () => {
    server.use(
      http.post(`${SUPABASE_URL}/rest/v1/rpc/dedup_claim`, () => HttpResponse.json(false)),
      http.post(`${SUPABASE_URL}/rest/v1/rpc/cache_put`, () => new HttpResponse(null, { status: 204 })),
    );
    const store = await createSupabaseStore({ url: SUPABASE_URL, serviceRoleKey: KEY });
    expect(await store.rpc("dedup_claim", { p_key: "k", p_ttl_seconds: 1 })).toBe(false);
    expect(await store.rpc("cache_put", { p_key: "k", p_value: { a: 1 }, p_ttl_seconds: 1 })).toBeNull();
  });

  it("turns a PostgREST error into a StoreError carrying its code", async () => {
    server.use(
      http.post(`${SUPABASE_URL}/rest/v1/rpc/missing_fn`, () =>
        HttpResponse.json(
          { code: "PGRST202", details: "Searched for the function public.missing_fn", hint: null, message: "Could not find the function public.missing_fn without parameters in the schema cache" },
          { status: 404 },
        ),
      ),
    );
    const store = await createSupabaseStore({ url: SUPABASE_URL, serviceRoleKey: KEY });
    const err = await store.rpc("missing_fn").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: "PGRST202", fn: "missing_fn" });
  });

  it("turns a network failure into a StoreError", async () => {
    server.use(http.post(`${SUPABASE_URL}/rest/v1/rpc/cache_get`, () => HttpResponse.error()));
    const store = await createSupabaseStore({ url: SUPABASE_URL, serviceRoleKey: KEY });
    await expect(store.rpc("cache_get", { p_key: "k" })).rejects.toBeInstanceOf(StoreError);
  });
});
