/**
 * The owner's direct coupon (POST /api/coupon with the admin key): still within the caps,
 * checked here before any outside call (422 naming the field), and recorded with the offers.
 */
// zod/mini: on the chat turn's import path (the coupon tool).
import * as z from "zod/mini";
import { ApiError } from "../errors.js";
import type { Services } from "../services.js";
import { getShop } from "../shop/index.js";
import type { CouponResult } from "../shop/types.js";
import { isoTime, newAdminCouponId } from "./ids.js";
import { couponRecordIssued } from "./store.js";

export const adminCouponSchema = z.strictObject({
  type: z.enum(["PERCENTAGE", "FIXED_AMOUNT", "FREE_SHIPPING"], { error: "type must be PERCENTAGE, FIXED_AMOUNT or FREE_SHIPPING" }),
  value: z.optional(z.number({ error: "value must be a number" }).check(z.positive("value must be above 0"), z.multipleOf(0.01, "value has at most two decimals"))),
  expiryDays: z.optional(
    z
      .number({ error: "expiryDays must be a number" })
      .check(z.int("expiryDays must be a whole number"), z.minimum(1, "expiryDays must be at least 1"), z.maximum(90, "expiryDays must be at most 90")),
  ),
  minimumOrder: z.optional(
    z.number({ error: "minimumOrder must be a number" }).check(z.positive("minimumOrder must be above 0"), z.multipleOf(0.01, "minimumOrder has at most two decimals")),
  ),
  description: z.optional(z.string({ error: "description must be text" }).check(z.trim(), z.maxLength(100, "description must be at most 100 characters"))),
});
export type AdminCouponInput = z.infer<typeof adminCouponSchema>;

export async function createAdminCoupon(services: Services, input: AdminCouponInput): Promise<CouponResult> {
  const caps = services.config.coupons;
  const refuse = (message: string) => new ApiError("unprocessable", message, { details: [{ path: "value", message }] });
  if (input.type !== "FREE_SHIPPING" && input.value === undefined) {
    throw new ApiError("validation_failed", "The request body is invalid.", { details: [{ path: "value", message: "value is required for this type" }] });
  }
  if (input.type === "PERCENTAGE" && input.value! > caps.maxPercent) throw refuse(`A percentage coupon is capped at ${caps.maxPercent} %.`);
  if (input.type === "FIXED_AMOUNT" && input.value! > caps.maxFixedAmount) throw refuse(`A fixed-amount coupon is capped at ${caps.maxFixedAmount}.`);

  const coupon = await getShop(services).createCoupon({
    type: input.type,
    value: input.type === "FREE_SHIPPING" ? 0 : input.value!,
    expiryDays: input.expiryDays ?? caps.expiryDays,
    ...(input.minimumOrder !== undefined ? { minimumOrder: input.minimumOrder } : {}),
    ...(input.description ? { description: input.description } : {}),
  });
  const stored: CouponResult = { ...coupon, value: Number(coupon.value), expiresAt: isoTime(coupon.expiresAt) };
  await couponRecordIssued(services.store, newAdminCouponId(), stored, input.description ?? null);
  return stored;
}
