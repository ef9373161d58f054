import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUPON_ALPHABET, ShopValidationError, type CouponInput } from "../../lib/shop/index.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { FAST, WIX_ENV, recorder, wixShop } from "./wix-fixtures.js";

const server = useMsw();
let services: Services;
beforeAll(async () => {
  services = await createTestServices({ ...WIX_ENV, ...FAST });
});
afterAll(async () => {
  await services.store.close();
});

const COUPONS = "/stores/v2/coupons";
const NOW = Date.parse("2026-11-25T10:00:00.000Z");
const DAY = 86_400_000;
const CODE = new RegExp(`^[${COUPON_ALPHABET}]{10}$`);

describe("Wix coupons", () => {
  it.each<[string, CouponInput, string]>([
    ["51 EUR fixed", { type: "FIXED_AMOUNT", value: 51, expiryDays: 7 }, "value"],
    ["31 %", { type: "PERCENTAGE", value: 31, expiryDays: 7 }, "value"],
    ["0 days", { type: "PERCENTAGE", value: 10, expiryDays: 0 }, "expiryDays"],
    ["91 days", { type: "PERCENTAGE", value: 10, expiryDays: 91 }, "expiryDays"],
    ["a negative amount", { type: "FIXED_AMOUNT", value: -5, expiryDays: 7 }, "value"],
    ["a negative percentage", { type: "PERCENTAGE", value: -10, expiryDays: 7 }, "value"],
    ["a zero percentage", { type: "PERCENTAGE", value: 0, expiryDays: 7 }, "value"],
    ["a negative minimum order", { type: "PERCENTAGE", value: 10, expiryDays: 7, minimumOrder: -1 }, "minimumOrder"],
    ["NaN", { type: "FIXED_AMOUNT", value: Number.NaN, expiryDays: 7 }, "value"],
    ["a fraction of a cent", { type: "FIXED_AMOUNT", value: 10.005, expiryDays: 7 }, "value"],
    ["2.5 days", { type: "PERCENTAGE", value: 10, expiryDays: 2.5 }, "expiryDays"],
    ["an unknown type", { type: "BUY_X_GET_Y" as never, value: 10, expiryDays: 7 }, "type"],
  ])("refuses %s before any request", async (_name, input, field) => {
    const rec = recorder();
    server.use(rec.on("post", COUPONS, () => ({ id: "should-not-happen" })));
    const err = await wixShop(services).createCoupon(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopValidationError);
    expect((err as ShopValidationError).field).toBe(field);
    expect(rec.seen).toEqual([]);
  });

  it("creates a single-use percentage coupon on POST /stores/v2/coupons, times in Unix ms", async () => {
    const rec = recorder();
    server.use(rec.on("post", COUPONS, () => ({ id: "5b1c2d3e-coupon-0001" })));
    const result = await wixShop(services, { now: () => NOW }).createCoupon({ type: "PERCENTAGE", value: 30, expiryDays: 7, description: "Bienvenue" });

    const body = rec.to(COUPONS)[0]!.body as { specification: Record<string, unknown> };
    expect(body.specification.code).toMatch(CODE);
    expect(body).toEqual({
      specification: {
        name: "Bienvenue (-30 %)",
        code: result.code,
        startTime: NOW,
        expirationTime: NOW + 7 * DAY,
        usageLimit: 1,
        limitPerCustomer: 1,
        limitedToOneItem: false,
        active: true,
        percentOffRate: 30,
        scope: { namespace: "stores" },
      },
    });
    expect(result).toEqual({ id: "5b1c2d3e-coupon-0001", code: result.code, type: "PERCENTAGE", value: 30, expiresAt: "2026-12-02T10:00:00.000Z" });
  });

  it("uses minimumSubtotal instead of scope for a fixed amount with a minimum order (50 EUR is allowed)", async () => {
    const rec = recorder();
    server.use(rec.on("post", COUPONS, () => ({ id: "c2" })));
    await wixShop(services, { now: () => NOW }).createCoupon({ type: "FIXED_AMOUNT", value: 50, expiryDays: 90, minimumOrder: 120 });
    const spec = (rec.to(COUPONS)[0]!.body as { specification: Record<string, unknown> }).specification;
    expect(spec).toMatchObject({ moneyOffAmount: 50, minimumSubtotal: 120, expirationTime: NOW + 90 * DAY, usageLimit: 1, limitPerCustomer: 1 });
    expect(spec).not.toHaveProperty("scope");
    expect(spec).not.toHaveProperty("percentOffRate");
  });

  it("creates a free-shipping coupon without scope", async () => {
    const rec = recorder();
    server.use(rec.on("post", COUPONS, () => ({ id: "c3" })));
    const r = await wixShop(services, { now: () => NOW }).createCoupon({ type: "FREE_SHIPPING", value: 999, expiryDays: 1 });
    const spec = (rec.to(COUPONS)[0]!.body as { specification: Record<string, unknown> }).specification;
    expect(spec).toMatchObject({ freeShipping: true, name: "Livraison offerte", expirationTime: NOW + DAY });
    expect(Object.keys(spec)).not.toContain("scope");
    expect(r.value).toBe(0);
  });

  it("draws a different code every time, at most 20 characters even with 12 bytes", async () => {
    const rec = recorder();
    server.use(rec.on("post", COUPONS, (_r, n) => ({ id: `c${n}` })));
    const big = wixShop(await createTestServices({ ...WIX_ENV, ...FAST, COUPON_CODE_BYTES: "12" }, services.store));
    const codes = new Set<string>();
    for (let i = 0; i < 5; i++) codes.add((await big.createCoupon({ type: "PERCENTAGE", value: 10, expiryDays: 7 })).code);
    expect(codes.size).toBe(5);
    for (const c of codes) expect(c).toMatch(new RegExp(`^[${COUPON_ALPHABET}]{20}$`));
  });
});
