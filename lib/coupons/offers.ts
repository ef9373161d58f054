/**
 * createCouponOffer: what the assistant's offer_coupon tool calls. It stores an OFFER (never a
 * code), clamped to the caps whatever the model asked, and refuses a second offer to the same
 * contact or conversation within COUPON_COOLDOWN_DAYS — checked and recorded atomically in SQL,
 * so parallel turns cannot both get one. The shopper redeems the offer via POST /api/coupon.
 */
import type { Config } from "../config.js";
import type { Services } from "../services.js";
import type { CouponType } from "../shop/types.js";
import { isoTime, newOfferId } from "./ids.js";
import { couponOfferCreate } from "./store.js";

export interface CouponOfferInput {
  conversationId: string;
  /** Who the offer is for across conversations (e.g. an email or "whatsapp:33612345678"). */
  contactKey?: string;
  type?: CouponType;
  value?: number;
  reason?: string;
}

export interface CouponOffer { id: string; type: CouponType; value: number; expiresAt: string }

export type CouponOfferResult = { status: "created"; offer: CouponOffer } | { status: "cooldown"; retryAfterDays: number };

/** A fixed amount offered when the model names none (never above COUPON_MAX_FIXED_AMOUNT). */
export const DEFAULT_FIXED_AMOUNT = 5;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The offer's type and value within the caps: a missing, non-positive or non-finite value gets the default. */
export function clampOffer(caps: Config["coupons"], type: CouponType = "PERCENTAGE", value?: number): { type: CouponType; value: number } {
  const given = typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
  switch (type) {
    case "PERCENTAGE":
      return { type, value: Math.max(1, Math.min(round2(given ?? caps.defaultPercent), caps.maxPercent)) };
    case "FIXED_AMOUNT":
      return { type, value: Math.max(0.01, Math.min(round2(given ?? DEFAULT_FIXED_AMOUNT), caps.maxFixedAmount)) };
    case "FREE_SHIPPING":
      return { type, value: 0 };
    default:
      return { type: "PERCENTAGE", value: caps.defaultPercent };
  }
}

export async function createCouponOffer(services: Services, input: CouponOfferInput): Promise<CouponOfferResult> {
  const conversationId = input.conversationId?.trim().slice(0, 200);
  if (!conversationId) throw new TypeError("createCouponOffer: conversationId is required");
  const caps = services.config.coupons;
  const { type, value } = clampOffer(caps, input.type, input.value);
  const contactKey = input.contactKey?.trim().toLowerCase().slice(0, 200) || null;
  const reason = input.reason?.replace(/\s+/g, " ").trim().slice(0, 200) || null;

  const result = await couponOfferCreate(
    services.store,
    { id: newOfferId(), conversationId, contactKey, type, value, reason },
    caps.expiryDays * 86_400,
    caps.cooldownDays,
  );
  if (result.status === "cooldown") return { status: "cooldown", retryAfterDays: result.retry_after_days };
  return { status: "created", offer: { ...result.offer, value: Number(result.offer.value), expiresAt: isoTime(result.offer.expiresAt) } };
}
