/**
 * Redeeming an offer into a real coupon (getShop(services).createCoupon), exactly once: the
 * redemption is a lease taken in SQL, so a second call — sequential or concurrent, on any
 * instance — gets the coupon the first created and never creates another. A failed creation
 * gives the lease back (the offer can be redeemed later); an expired lease (dead instance) can
 * be taken over.
 */
import { ApiError } from "../errors.js";
import type { Services } from "../services.js";
import { getShop } from "../shop/index.js";
import type { CouponResult } from "../shop/types.js";
import { isoTime } from "./ids.js";
import { couponOfferRedeemClaim, couponOfferRedeemFinish } from "./store.js";

/** Longer than a createCoupon call with its retries can take. */
export const REDEEM_LEASE_SECONDS = 60;
/** How long a second caller waits for a concurrent redemption before answering 409. */
export const REDEEM_WAIT_MS = 10_000;

export interface RedeemResult {
  /** true for the call that created the coupon, false when it existed already. */
  created: boolean;
  coupon: CouponResult;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const normalise = (c: CouponResult): CouponResult => ({ ...c, value: Number(c.value), expiresAt: isoTime(c.expiresAt) });

/** Throws ApiError not_found (unknown offer), gone (expired), conflict (still being redeemed elsewhere). */
export async function redeemOffer(services: Services, offerId: string, opts: { waitMs?: number } = {}): Promise<RedeemResult> {
  const deadline = Date.now() + (opts.waitMs ?? REDEEM_WAIT_MS);
  let delay = 100;
  for (;;) {
    const claim = await couponOfferRedeemClaim(services.store, offerId, REDEEM_LEASE_SECONDS);
    switch (claim.status) {
      case "not_found":
        throw new ApiError("not_found", "This offer does not exist.");
      case "expired":
        throw new ApiError("gone", "This offer has expired.");
      case "redeemed":
        return { created: false, coupon: normalise(claim.coupon) };
      case "in_progress": {
        const wait = Math.min(delay, claim.retry_after_ms, deadline - Date.now());
        if (wait <= 0) {
          throw new ApiError("conflict", "This offer is being redeemed right now. Try again in a moment.", {
            retryAfterSeconds: Math.max(1, Math.ceil(Math.min(claim.retry_after_ms, 5000) / 1000)),
          });
        }
        await sleep(wait);
        delay = Math.min(delay * 2, 1000);
        continue;
      }
      case "claimed": {
        let coupon: CouponResult;
        try {
          coupon = await getShop(services).createCoupon({
            type: claim.offer.type,
            value: Number(claim.offer.value),
            expiryDays: services.config.coupons.expiryDays,
            ...(claim.offer.reason ? { description: claim.offer.reason } : {}),
          });
        } catch (err) {
          await couponOfferRedeemFinish(services.store, offerId, claim.token, null).catch((e: unknown) =>
            services.log.error("coupon lease not released", { offerId, error: (e as Error).message }),
          );
          throw err;
        }
        const stored = normalise(coupon);
        const finished = await couponOfferRedeemFinish(services.store, offerId, claim.token, stored);
        if (finished.coupon && finished.coupon.code !== stored.code) {
          // Our lease had expired and another caller redeemed the offer meanwhile: theirs counts.
          services.log.warn("coupon created after its lease expired; the stored one is returned", { offerId, orphanCouponId: coupon.id });
          return { created: false, coupon: normalise(finished.coupon) };
        }
        return { created: true, coupon: stored };
      }
    }
  }
}
