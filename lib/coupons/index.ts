/**
 * lib/coupons — coupon offers and their redemption. The assistant makes offers (offers.ts:
 * within the caps, one per contact/conversation per cool-down, never a code); POST /api/coupon
 * redeems an offer into a real coupon exactly once (redeem.ts) or, with the admin key, lets the
 * owner create one directly (admin.ts). State lives in SQL (store.ts).
 */
export { createCouponOffer, clampOffer, DEFAULT_FIXED_AMOUNT, type CouponOffer, type CouponOfferInput, type CouponOfferResult } from "./offers.js";
export { redeemOffer, type RedeemResult } from "./redeem.js";
export { adminCouponSchema, createAdminCoupon, type AdminCouponInput } from "./admin.js";
