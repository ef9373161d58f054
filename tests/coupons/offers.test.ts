/**
 * createCouponOffer (the assistant's offer_coupon tool): clamped to the caps whatever is asked,
 * unguessable ids, at most one offer per contact or conversation per cool-down, atomically.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createCouponOffer } from "../../lib/coupons/index.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { createTestServices } from "../helpers/services.js";
import { createPgDatabase, setDbNow, TEST_DATABASE_URL } from "../helpers/store.js";

const opened: Services[] = [];
async function services(env: Record<string, string> = {}) {
  const s = await createTestServices(env);
  opened.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.store.close()));
});
const T0 = "2026-11-25T10:00:00.000Z";
const plusDays = (d: number) => new Date(Date.parse(T0) + d * 86_400_000).toISOString();
const storedValue = async (s: Services, id: string) =>
  (await (s.store as PgliteStore).db.query<{ type: string; value: string }>("select type, value::text from public.app_coupon_offer where id = $1", [id])).rows[0];

describe("caps", () => {
  it.each([
    { ask: { type: "PERCENTAGE", value: 90 }, got: { type: "PERCENTAGE", value: 30 } },
    { ask: { type: "PERCENTAGE", value: 100000 }, got: { type: "PERCENTAGE", value: 30 } },
    { ask: {}, got: { type: "PERCENTAGE", value: 10 } },
    { ask: { value: -5 }, got: { type: "PERCENTAGE", value: 10 } },
    { ask: { value: Number.NaN }, got: { type: "PERCENTAGE", value: 10 } },
    { ask: { value: Number.POSITIVE_INFINITY }, got: { type: "PERCENTAGE", value: 10 } },
    { ask: { type: "PERCENTAGE", value: 12.345 }, got: { type: "PERCENTAGE", value: 12.35 } },
    { ask: { type: "FIXED_AMOUNT", value: 500 }, got: { type: "FIXED_AMOUNT", value: 50 } },
    { ask: { type: "FIXED_AMOUNT" }, got: { type: "FIXED_AMOUNT", value: 5 } },
    { ask: { type: "FREE_SHIPPING", value: 20 }, got: { type: "FREE_SHIPPING", value: 0 } },
  ] as const)("asked $ask -> offered $got, and that is what is stored", async ({ ask, got }) => {
    const s = await services();
    const r = await createCouponOffer(s, { conversationId: `conv-${Math.random()}`, ...ask });
    if (r.status !== "created") throw new Error("expected an offer");
    expect(r.offer).toMatchObject(got);
    const row = await storedValue(s, r.offer.id);
    expect({ type: row!.type, value: Number(row!.value) }).toEqual(got);
  });

  it("follows COUPON_MAX_PERCENT / COUPON_MAX_FIXED_AMOUNT / COUPON_DEFAULT_PERCENT", async () => {
    const s = await services({ COUPON_MAX_PERCENT: "15", COUPON_MAX_FIXED_AMOUNT: "20", COUPON_DEFAULT_PERCENT: "25" });
    expect(await createCouponOffer(s, { conversationId: "a", value: 40 })).toMatchObject({ offer: { value: 15 } });
    expect(await createCouponOffer(s, { conversationId: "b" })).toMatchObject({ offer: { value: 15 } });
    expect(await createCouponOffer(s, { conversationId: "c", type: "FIXED_AMOUNT", value: 21 })).toMatchObject({ offer: { value: 20 } });
  });

  it("gives unguessable ids and an expiry COUPON_EXPIRY_DAYS ahead", async () => {
    const s = await services();
    await setDbNow(s.store as PgliteStore, T0);
    const ids = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const r = await createCouponOffer(s, { conversationId: `c${i}` });
      if (r.status !== "created") throw new Error("expected an offer");
      expect(r.offer.id).toMatch(/^off_[A-Za-z0-9_-]{22}$/);
      expect(r.offer.expiresAt).toBe(plusDays(7));
      ids.add(r.offer.id);
    }
    expect(ids.size).toBe(20);
  });

  it("refuses a call without a conversation id", async () => {
    const s = await services();
    await expect(createCouponOffer(s, { conversationId: "  " })).rejects.toThrow(/conversationId/);
  });
});

describe("cool-down (COUPON_COOLDOWN_DAYS, 30 by default)", () => {
  it("refuses a second offer to the same contact within 30 days, from any conversation", async () => {
    const s = await services();
    await setDbNow(s.store as PgliteStore, T0);
    expect(await createCouponOffer(s, { conversationId: "web-1", contactKey: "Marie@Example.fr" })).toMatchObject({ status: "created" });
    await setDbNow(s.store as PgliteStore, plusDays(10));
    expect(await createCouponOffer(s, { conversationId: "whatsapp-9", contactKey: "marie@example.fr" })).toEqual({ status: "cooldown", retryAfterDays: 20 });
    await setDbNow(s.store as PgliteStore, plusDays(30.01));
    expect(await createCouponOffer(s, { conversationId: "whatsapp-9", contactKey: "marie@example.fr" })).toMatchObject({ status: "created" });
  });

  it("refuses a second offer in the same conversation, even without a contact", async () => {
    const s = await services();
    expect(await createCouponOffer(s, { conversationId: "web-2" })).toMatchObject({ status: "created" });
    expect(await createCouponOffer(s, { conversationId: "web-2", contactKey: "new@example.fr" })).toMatchObject({ status: "cooldown", retryAfterDays: 30 });
    // The refused call claimed nothing: that contact can still get an offer elsewhere.
    expect(await createCouponOffer(s, { conversationId: "web-3", contactKey: "new@example.fr" })).toMatchObject({ status: "created" });
  });

  it("lets different contacts and conversations each have one", async () => {
    const s = await services();
    expect(await createCouponOffer(s, { conversationId: "c1", contactKey: "a@example.fr" })).toMatchObject({ status: "created" });
    expect(await createCouponOffer(s, { conversationId: "c2", contactKey: "b@example.fr" })).toMatchObject({ status: "created" });
  });

  it("with COUPON_COOLDOWN_DAYS=0 there is no cool-down", async () => {
    const s = await services({ COUPON_COOLDOWN_DAYS: "0" });
    expect(await createCouponOffer(s, { conversationId: "c", contactKey: "a@example.fr" })).toMatchObject({ status: "created" });
    expect(await createCouponOffer(s, { conversationId: "c", contactKey: "a@example.fr" })).toMatchObject({ status: "created" });
  });

  it("10 parallel offers for one contact make exactly one", async () => {
    const s = await services();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => createCouponOffer(s, { conversationId: `p${i}`, contactKey: "race@example.fr" })));
    expect(results.filter((r) => r.status === "created")).toHaveLength(1);
  });
});

describe.runIf(TEST_DATABASE_URL)("cool-down on a real PostgreSQL server", () => {
  it("20 parallel offers for one contact over many connections make exactly one", async () => {
    const db = await createPgDatabase();
    try {
      const s = await createTestServices({}, db.store);
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => createCouponOffer(s, { conversationId: `pg${i}`, contactKey: "race@example.fr" })),
      );
      expect(results.filter((r) => r.status === "created")).toHaveLength(1);
      // And per conversation, with distinct contacts.
      const same = await Promise.all(
        Array.from({ length: 20 }, (_, i) => createCouponOffer(s, { conversationId: "pg-shared", contactKey: `c${i}@example.fr` })),
      );
      expect(same.filter((r) => r.status === "created")).toHaveLength(1);
    } finally {
      await db.drop();
    }
  });
});
