/**
 * The store's time bound and fast failure (lib/store/guard.ts), and the Supabase backend under a
 * PostgREST that never answers or answers 503. The real-server outage is in store-outage.test.ts.
 */
import { describe, expect, it } from "vitest";
import { delay, http, HttpResponse } from "msw";
import { createStoreGuard, isUnreachable, storeCallTimeoutMs, STORE_CALL_MAX_MS, STORE_CALL_MIN_MS } from "../../lib/store/guard.js";
import { StoreError } from "../../lib/store/store.js";
import { createSupabaseStore } from "../../lib/store/supabase.js";
import { newRequestContext, requestContext } from "../../lib/request-context.js";
import { useMsw } from "../helpers/msw.js";

const server = useMsw();
const never = (signal: AbortSignal) => new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted"))));
const inRequest = <T>(budgetMs: number, fn: () => Promise<T>) => requestContext.run(newRequestContext(budgetMs), fn);

describe("store call time bound", () => {
  it("gives a call the request's remaining budget, at most 10 s and at least 500 ms", async () => {
    expect(storeCallTimeoutMs()).toBe(STORE_CALL_MAX_MS); // no request: cron, scripts
    expect(await inRequest(60_000, async () => storeCallTimeoutMs())).toBe(STORE_CALL_MAX_MS);
    const within = await inRequest(3_000, async () => storeCallTimeoutMs());
    expect(within).toBeGreaterThan(2_900);
    expect(within).toBeLessThanOrEqual(3_000);
    expect(await inRequest(1_000, async () => storeCallTimeoutMs(Date.now() + 5_000))).toBe(STORE_CALL_MIN_MS);
  });

  it("fails a call that never answers with a StoreError 'timeout' when the request's budget runs out, and aborts it", async () => {
    const guard = createStoreGuard();
    let aborted = false;
    const started = Date.now();
    const err = await inRequest(400, () =>
      guard.call("chat_turn_begin", (signal) => (signal.addEventListener("abort", () => (aborted = true)), never(signal))),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: "timeout", fn: "chat_turn_begin" });
    expect(Date.now() - started).toBeLessThan(1_400);
    expect(aborted).toBe(true);
  });

  it("after an unreachable-database failure fails at once without trying, then lets one probe through after the cool-down, and recovers on its success", async () => {
    const guard = createStoreGuard({ coolDownMs: 200 });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    await expect(guard.call("dedup_claim", async () => Promise.reject(refused))).rejects.toMatchObject({ code: "ECONNREFUSED" });
    let tried = 0;
    await expect(guard.call("dedup_claim", async () => (tried++, true))).rejects.toMatchObject({ code: "unavailable" });
    expect(tried).toBe(0);
    await new Promise((r) => setTimeout(r, 250));
    // One probe at a time: while it is in flight, the others still fail fast.
    let answer!: (v: boolean) => void;
    const probe = guard.call("dedup_claim", () => (tried++, new Promise<boolean>((r) => (answer = r))));
    await expect(guard.call("dedup_claim", async () => (tried++, true))).rejects.toMatchObject({ code: "unavailable" });
    answer(true);
    expect(await probe).toBe(true);
    expect(await guard.call("dedup_claim", async () => (tried++, true))).toBe(true);
    expect(tried).toBe(2);
  });

  it("does not fail fast after an error of the query itself (a raise, a constraint)", async () => {
    const guard = createStoreGuard();
    const raised = new StoreError("coupon_offer_create: cap exceeded", "P0001", "coupon_offer_create");
    await expect(guard.call("coupon_offer_create", async () => Promise.reject(raised))).rejects.toBe(raised);
    expect(await guard.call("coupon_offer_create", async () => "ok")).toBe("ok");
    expect(guard.downUntil).toBe(0);
  });

  it.each([
    ["ECONNREFUSED", true],
    ["CONNECT_TIMEOUT", true],
    ["CONNECTION_CLOSED", true],
    ["08006", true],
    ["57P01", true],
    ["timeout", true],
    ["23505", false],
    ["P0001", false],
    ["PGRST202", false],
    [undefined, false],
  ])("classifies %s as unreachable: %s", (code, expected) => {
    expect(isUnreachable(code)).toBe(expected);
  });
});

describe("Supabase store under an outage", () => {
  const SUPABASE_URL = "https://outage.supabase.co";
  const KEY = "sb_secret_test_key";

  it("aborts a PostgREST call that never answers when the request's budget runs out", async () => {
    let sawAbort = false;
    server.use(
      http.post(`${SUPABASE_URL}/rest/v1/rpc/health_snapshot`, async ({ request }) => {
        request.signal.addEventListener("abort", () => (sawAbort = true));
        await delay("infinite");
        return HttpResponse.json({});
      }),
    );
    const store = await createSupabaseStore({ url: SUPABASE_URL, serviceRoleKey: KEY });
    const started = Date.now();
    const err = await inRequest(500, () => store.rpc("health_snapshot")).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ code: "timeout", fn: "health_snapshot" });
    expect(Date.now() - started).toBeLessThan(1_500);
    await new Promise((r) => setTimeout(r, 20));
    expect(sawAbort).toBe(true);
  });

  it("treats a 503 from the gateway as an outage (StoreError), then fails fast for the cool-down", async () => {
    let calls = 0;
    server.use(http.post(`${SUPABASE_URL}/rest/v1/rpc/dedup_claim`, () => (calls++, new HttpResponse("upstream connect error", { status: 503 }))));
    const store = await createSupabaseStore({ url: SUPABASE_URL, serviceRoleKey: KEY });
    await expect(store.rpc("dedup_claim", { p_key: "k", p_ttl_seconds: 60 })).rejects.toBeInstanceOf(StoreError);
    await expect(store.rpc("dedup_claim", { p_key: "k", p_ttl_seconds: 60 })).rejects.toMatchObject({ code: "unavailable" });
    expect(calls).toBe(1);
  });
});
