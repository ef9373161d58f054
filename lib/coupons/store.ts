/** Typed calls to the coupon-offer SQL functions (supabase/migrations/*_leads_coupons_notifications.sql). */
import type { CouponResult, CouponType } from "../shop/types.js";
import type { Store } from "../store/store.js";

export interface StoredOffer { id: string; type: CouponType; value: number; expiresAt: string }

export type OfferCreateResult = { status: "created"; offer: StoredOffer } | { status: "cooldown"; retry_after_days: number };

/** Stores an offer unless a cool-down key is live: one round trip, atomic. */
export function couponOfferCreate(
  store: Store,
  offer: { id: string; conversationId: string; contactKey: string | null; type: CouponType; value: number; reason: string | null },
  offerTtlSeconds: number,
  cooldownDays: number,
) {
  return store.rpc<OfferCreateResult>("coupon_offer_create", {
    p_id: offer.id,
    p_conversation_id: offer.conversationId,
    p_contact_key: offer.contactKey,
    p_type: offer.type,
    p_value: offer.value,
    p_reason: offer.reason,
    p_offer_ttl_seconds: offerTtlSeconds,
    p_cooldown_days: cooldownDays,
  });
}

export type RedeemClaim =
  | { status: "not_found" }
  | { status: "expired" }
  | { status: "redeemed"; coupon: CouponResult }
  | { status: "in_progress"; retry_after_ms: number }
  | { status: "claimed"; token: string; offer: { type: CouponType; value: number; conversation_id: string | null; reason: string | null } };

export function couponOfferRedeemClaim(store: Store, offerId: string, leaseSeconds: number) {
  return store.rpc<RedeemClaim>("coupon_offer_redeem_claim", { p_id: offerId, p_lease_seconds: leaseSeconds });
}

/** Ends the lease: with a coupon the offer is redeemed for good, without it is offered again. */
export function couponOfferRedeemFinish(store: Store, offerId: string, token: string, coupon: CouponResult | null) {
  return store.rpc<{ status: "offered" | "redeeming" | "redeemed"; coupon: CouponResult | null }>("coupon_offer_redeem_finish", {
    p_id: offerId,
    p_token: token,
    p_coupon: coupon ?? undefined,
  });
}

export function couponRecordIssued(store: Store, id: string, coupon: CouponResult, reason: string | null) {
  return store.rpc<void>("coupon_record_issued", { p_id: id, p_type: coupon.type, p_value: coupon.value, p_reason: reason, p_coupon: coupon });
}
