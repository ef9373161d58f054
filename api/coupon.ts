/**
 * POST /api/coupon — turns a coupon offer into a real coupon.
 * Public: body exactly `{offerId}` (a discount value or any other field -> 400). The first call
 * creates the coupon (201), later and concurrent calls get the same one (200); unknown offer
 * -> 404, expired -> 410. Owner: `Authorization: Bearer <ADMIN_API_KEY>` (checked before the
 * body is read: any Authorization header makes the call an owner's, 401 if wrong) and `{type,
 * value, expiryDays?, minimumOrder?, description?}` creates a coupon directly, within the caps (422 above).
 */
import * as z from "zod/mini";
import { adminCouponSchema, createAdminCoupon, redeemOffer } from "../lib/coupons/index.js";
import { json, parseWith, route } from "../lib/route.js";

const publicSchema = z.strictObject({
  offerId: z.string({ error: "offerId is required" }).check(z.trim(), z.minLength(1, "offerId is required"), z.maxLength(200, "offerId is too long")),
});

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("coupon", {
  POST: {
    summary: "Redeem a coupon offer (public) or create a coupon (shop owner)",
    auth: "admin",
    optionalAuth: true,
    // The shape depends on who calls: validated in the handler once the auth step has run.
    body: z.unknown(),
    bodyDoc: z.union([publicSchema, adminCouponSchema]),
    responses: { 200: { description: "The coupon this offer already gave" }, 201: { description: "A new coupon" } },
    async handler({ auth, body, services }) {
      if (auth) {
        const coupon = await createAdminCoupon(services, parseWith(adminCouponSchema, body));
        return json({ coupon }, { status: 201 });
      }
      const { offerId } = parseWith(publicSchema, body);
      const { created, coupon } = await redeemOffer(services, offerId);
      return json({ offerId, created, coupon: { code: coupon.code, type: coupon.type, value: coupon.value, expiresAt: coupon.expiresAt } }, { status: created ? 201 : 200 });
    },
  },
});
