/**
 * Wix coupons: `POST /stores/v2/coupons`. Single use (usageLimit 1, limitPerCustomer 1), active
 * now, expiring after the validated number of days (times in Unix ms). The caps are checked by
 * validateCoupon before any request. The code is random and unique per site, so a retried create
 * can never make a second coupon (Wix refuses the duplicate code).
 */
import * as z from "zod/mini";
import { couponLabel, generateCouponCode, validateCoupon, WIX_MAX_CODE_LENGTH, type CouponCaps, type ValidCoupon } from "../../shop/coupon-rules.js";
import type { CouponInput, CouponResult } from "../../shop/types.js";
import { invalidWixResponse, type WixClient } from "./client.js";

export const WIX_COUPONS_PATH = "/stores/v2/coupons";
const DAY_MS = 86_400_000;

/** The coupon `specification` Wix expects for a validated coupon. */
export function couponSpecification(c: ValidCoupon, code: string, startMs: number, currency: string) {
  const kind =
    c.type === "PERCENTAGE" ? { percentOffRate: c.value } : c.type === "FIXED_AMOUNT" ? { moneyOffAmount: c.value } : { freeShipping: true };
  // One of scope / minimumSubtotal; a free-shipping coupon takes no scope.
  const applies = c.minimumOrder !== null ? { minimumSubtotal: c.minimumOrder } : c.type === "FREE_SHIPPING" ? {} : { scope: { namespace: "stores" } };
  return {
    name: couponLabel(c, currency),
    code,
    startTime: startMs,
    expirationTime: startMs + c.expiryDays * DAY_MS,
    usageLimit: 1,
    limitPerCustomer: 1,
    limitedToOneItem: false,
    active: true,
    ...kind,
    ...applies,
  };
}

const CreateResponse = z.looseObject({ id: z.string() });

export interface WixCoupons {
  createCoupon(input: CouponInput): Promise<CouponResult>;
}

export function createWixCoupons(client: WixClient, opts: { caps: CouponCaps; codeBytes: number; currency: string; now?: () => number }): WixCoupons {
  const now = opts.now ?? Date.now;
  return {
    async createCoupon(input) {
      const c = validateCoupon(input, opts.caps); // throws before any request
      const code = generateCouponCode(opts.codeBytes);
      if (code.length > WIX_MAX_CODE_LENGTH) throw new Error(`coupon codes are at most ${WIX_MAX_CODE_LENGTH} characters: lower COUPON_CODE_BYTES`);
      const start = now();
      const specification = couponSpecification(c, code, start, opts.currency);
      const data = await client.site({ method: "POST", path: WIX_COUPONS_PATH, json: { specification }, idempotent: true });
      const r = CreateResponse.safeParse(data);
      if (!r.success) throw invalidWixResponse("coupon create", r.error.message);
      return { id: r.data.id, code, type: c.type, value: c.value, expiresAt: new Date(specification.expirationTime).toISOString() };
    },
  };
}
