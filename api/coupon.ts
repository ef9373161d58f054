/**
 * POST /api/coupon — turns a coupon offer into a real coupon.
 * Public: body exactly `{offerId}` (a discount value or any other field -> 400). The first call
 * creates the coupon (201), later and concurrent calls get the same one (200); unknown offer
 * -> 404, expired -> 410. Owner: `Authorization: Bearer <ADMIN_API_KEY>` and `{type, value,
 * expiryDays?, minimumOrder?, description?}` creates a coupon directly, within the caps (422 above).
 */
import { z } from "zod";
import { adminCouponSchema, createAdminCoupon, redeemOffer } from "../lib/coupons/index.js";
import { bearerMatches } from "../lib/auth.js";
import { ApiError } from "../lib/errors.js";
import { json, route } from "../lib/route.js";

const publicSchema = z.strictObject({
  offerId: z.string({ error: "offerId is required" }).trim().min(1, "offerId is required").max(200, "offerId is too long"),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new ApiError("validation_failed", "The request body is invalid.", {
      details: result.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message })),
    });
  }
  return result.data;
}

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("coupon", {
  POST: {
    body: z.unknown(),
    async handler({ request, body, services }) {
      if (request.headers.has("authorization")) {
        const key = services.config.app.adminApiKey;
        if (!key) throw new ApiError("not_configured", "Admin access is not configured (set ADMIN_API_KEY).");
        if (!bearerMatches(request, key)) throw new ApiError("unauthorized", "Invalid admin key.");
        const coupon = await createAdminCoupon(services, parse(adminCouponSchema, body));
        return json({ coupon }, { status: 201 });
      }
      const { offerId } = parse(publicSchema, body);
      const { created, coupon } = await redeemOffer(services, offerId);
      return json({ offerId, created, coupon: { code: coupon.code, type: coupon.type, value: coupon.value, expiresAt: coupon.expiresAt } }, { status: created ? 201 : 200 });
    },
  },
});
