/**
 * POST /api/coupon at the HTTP edge, against a Wix double (msw, POST /stores/v2/coupons):
 * an offer becomes one coupon exactly once (sequential and concurrent calls), unknown and
 * expired offers, no discount value on the public path, and the owner's capped admin path.
 */
import { delay, http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../api/coupon.js";
import { createCouponOffer, redeemOffer } from "../../lib/coupons/index.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";
import { createPgDatabase, setDbNow, TEST_DATABASE_URL } from "../helpers/store.js";

const server = useMsw();
const WIX_COUPONS = "https://www.wixapis.com/stores/v2/coupons";
const ADMIN_KEY = "admin-key-0123456789abcdef";
const ENV = { WIX_API_KEY: "wix-key", WIX_SITE_ID: "site-1", WIX_RETRY_ATTEMPTS: "0", ADMIN_API_KEY: ADMIN_KEY };

interface CouponBody { offerId?: string; created?: boolean; coupon: { code: string; type: string; value: number; expiresAt: string } }
interface ErrorBody { error: { code: string; message: string; details?: { path: string; message: string }[] } }

let wixBodies: { specification: Record<string, unknown> }[];
let wixMode: "ok" | "slow" | "down";
const opened: Services[] = [];

beforeEach(() => {
  wixBodies = [];
  wixMode = "ok";
  server.use(
    http.post(WIX_COUPONS, async ({ request }) => {
      if (wixMode === "down") return HttpResponse.json({ message: "unavailable" }, { status: 503 });
      wixBodies.push((await request.json()) as { specification: Record<string, unknown> });
      if (wixMode === "slow") await delay(400);
      return HttpResponse.json({ id: `wix-coupon-${wixBodies.length}` });
    }),
  );
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.store.close()));
});

async function services(env: Record<string, string> = ENV) {
  const s = await createTestServices(env);
  opened.push(s);
  return s;
}
async function offer(s: Services, conversationId = "conv-1", ask: { type?: "PERCENTAGE" | "FIXED_AMOUNT" | "FREE_SHIPPING"; value?: number } = {}) {
  const r = await createCouponOffer(s, { conversationId, ...ask });
  if (r.status !== "created") throw new Error("expected an offer");
  return r.offer;
}
const redeem = (body: unknown, headers: Record<string, string> = {}) => POST(req("/api/coupon", { body, headers }));

describe("redeeming an offer", () => {
  it("creates the coupon once: a second call returns the same code and Wix is called once", async () => {
    const s = await services();
    const o = await offer(s, "conv-1", { value: 15 });
    const first = await redeem({ offerId: o.id });
    expect(first.status).toBe(201);
    const a = (await first.json()) as CouponBody;
    expect(a).toMatchObject({ offerId: o.id, created: true, coupon: { type: "PERCENTAGE", value: 15 } });
    expect(a.coupon.code).toMatch(/^[23456789A-Z]{6,20}$/);

    const second = await redeem({ offerId: o.id });
    expect(second.status).toBe(200);
    const b = (await second.json()) as CouponBody;
    expect(b).toMatchObject({ created: false, coupon: a.coupon });

    expect(wixBodies).toHaveLength(1);
    expect(wixBodies[0]!.specification).toMatchObject({ code: a.coupon.code, percentOffRate: 15, usageLimit: 1, limitPerCustomer: 1, active: true });
  });

  it("5 concurrent calls all get the same coupon from a single Wix call", async () => {
    const s = await services();
    wixMode = "slow";
    const o = await offer(s);
    const responses = await Promise.all(Array.from({ length: 5 }, () => redeem({ offerId: o.id })));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as CouponBody[];
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(bodies.map((b) => b.coupon.code)).size).toBe(1);
    expect(wixBodies).toHaveLength(1);
  });

  it.each([
    { name: "a well-formed but forged id", offerId: "off_AAAAAAAAAAAAAAAAAAAAAA" },
    { name: "a guessed short id", offerId: "off_1" },
    { name: "an id with SQL in it", offerId: "off_x' or '1'='1" },
  ])("answers 404 for $name", async ({ offerId }) => {
    await services();
    const res = await redeem({ offerId });
    expect(res.status).toBe(404);
    expect(((await res.json()) as ErrorBody).error.code).toBe("not_found");
    expect(wixBodies).toHaveLength(0);
  });

  it("answers 410 for an expired offer, but still returns a coupon redeemed before expiry", async () => {
    const s = await services();
    await setDbNow(s.store as PgliteStore, "2026-11-25T10:00:00Z");
    const stale = await offer(s, "conv-a");
    const used = await offer(s, "conv-b");
    expect((await redeem({ offerId: used.id })).status).toBe(201);
    await setDbNow(s.store as PgliteStore, "2026-12-02T10:00:01Z");
    const res = await redeem({ offerId: stale.id });
    expect(res.status).toBe(410);
    expect(((await res.json()) as ErrorBody).error.code).toBe("gone");
    expect((await redeem({ offerId: used.id })).status).toBe(200);
    expect(wixBodies).toHaveLength(1);
  });

  it.each([
    { name: "a discount value", extra: { value: 50 } },
    { name: "a type", extra: { type: "FIXED_AMOUNT" } },
    { name: "a code", extra: { code: "FREE100" } },
    { name: "a percentage", extra: { percentOffRate: 90 } },
  ])("refuses a public body carrying $name (400) before any Wix call", async ({ extra }) => {
    const s = await services();
    const o = await offer(s);
    const res = await redeem({ offerId: o.id, ...extra });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe("validation_failed");
    expect(JSON.stringify(body.error.details)).toContain(Object.keys(extra)[0]!);
    expect(wixBodies).toHaveLength(0);
  });

  it("refuses a body without offerId (400)", async () => {
    await services();
    const res = await redeem({});
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).error.details?.[0]?.path).toBe("offerId");
  });

  it("answers 502 while Wix is down and lets the same offer be redeemed once it is back", async () => {
    const s = await services();
    const o = await offer(s);
    wixMode = "down";
    const down = await redeem({ offerId: o.id });
    expect(down.status).toBe(502);
    expect(((await down.json()) as ErrorBody).error.code).toBe("upstream_unavailable");
    wixMode = "ok";
    const back = await redeem({ offerId: o.id });
    expect(back.status).toBe(201);
    expect(wixBodies).toHaveLength(1);
  });

  it("works with the demo shop when Wix is not configured", async () => {
    const s = await services({});
    const o = await offer(s, "demo", { type: "FREE_SHIPPING" });
    const res = await redeem({ offerId: o.id });
    expect(res.status).toBe(201);
    expect(((await res.json()) as CouponBody).coupon).toMatchObject({ type: "FREE_SHIPPING", value: 0 });
    expect(wixBodies).toHaveLength(0);
  });
});

describe("the owner's admin path", () => {
  const admin = (body: unknown, key = ADMIN_KEY) => redeem(body, { authorization: `Bearer ${key}` });

  it("creates a coupon within the caps", async () => {
    await services();
    const res = await admin({ type: "FIXED_AMOUNT", value: 50, expiryDays: 14, description: "Merci" });
    expect(res.status).toBe(201);
    expect(((await res.json()) as CouponBody).coupon).toMatchObject({ type: "FIXED_AMOUNT", value: 50 });
    expect(wixBodies).toHaveLength(1);
    expect(wixBodies[0]!.specification).toMatchObject({ moneyOffAmount: 50 });
  });

  it.each([
    { name: "51 EUR", body: { type: "FIXED_AMOUNT", value: 51 }, status: 422 },
    { name: "31 %", body: { type: "PERCENTAGE", value: 31 }, status: 422 },
    { name: "a negative amount", body: { type: "FIXED_AMOUNT", value: -5 }, status: 400 },
    { name: "no value", body: { type: "PERCENTAGE" }, status: 400 },
    { name: "0 days", body: { type: "PERCENTAGE", value: 10, expiryDays: 0 }, status: 400 },
    { name: "91 days", body: { type: "PERCENTAGE", value: 10, expiryDays: 91 }, status: 400 },
    { name: "an unknown type", body: { type: "BOGO", value: 1 }, status: 400 },
    { name: "an unknown field", body: { type: "PERCENTAGE", value: 10, usageLimit: 1000 }, status: 400 },
  ])("refuses $name ($status) before any Wix call", async ({ body, status }) => {
    await services();
    const res = await admin(body);
    expect(res.status).toBe(status);
    expect(wixBodies).toHaveLength(0);
  });

  it.each([
    { name: "a wrong key", headers: { authorization: "Bearer admin-key-0123456789abcdeX" } },
    { name: "a key prefix", headers: { authorization: "Bearer admin-key" } },
    { name: "the key without Bearer", headers: { authorization: ADMIN_KEY } },
    { name: "an empty bearer", headers: { authorization: "Bearer " } },
  ])("answers 401 for $name", async ({ headers }) => {
    await services();
    const res = await redeem({ type: "PERCENTAGE", value: 10 }, headers);
    expect(res.status).toBe(401);
    expect(wixBodies).toHaveLength(0);
  });

  it("answers 503 not_configured when ADMIN_API_KEY is not set", async () => {
    const { ADMIN_API_KEY: _, ...env } = ENV;
    await services(env);
    const res = await admin({ type: "PERCENTAGE", value: 10 });
    expect(res.status).toBe(503);
    expect(((await res.json()) as ErrorBody).error.code).toBe("not_configured");
  });

  it("without the key, an admin-shaped body is just a bad public request", async () => {
    await services();
    const res = await redeem({ type: "PERCENTAGE", value: 30 });
    expect(res.status).toBe(400);
    expect(wixBodies).toHaveLength(0);
  });
});

describe.runIf(TEST_DATABASE_URL)("redemption on a real PostgreSQL server", () => {
  it("10 concurrent redemptions over many connections create one coupon", async () => {
    const db = await createPgDatabase();
    try {
      const s = await createTestServices(ENV, db.store);
      wixMode = "slow";
      const o = await offer(s);
      const results = await Promise.all(Array.from({ length: 10 }, () => redeemOffer(s, o.id)));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.coupon.code)).size).toBe(1);
      expect(wixBodies).toHaveLength(1);
    } finally {
      await db.drop();
    }
  });
});
