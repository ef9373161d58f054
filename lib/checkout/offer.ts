/**
 * The conversation's coupon offer at checkout time: the latest live offer the assistant made in
 * this conversation (offered or already redeemed). The Wix provider applies its Wix code (the
 * offer is redeemed now if the shopper never pressed "Get my code"); the Stripe provider turns
 * its type and value into a one-use Stripe discount of its own.
 */
import type { Services } from "../services.js";
import type { CouponResult, CouponType } from "../shop/types.js";

export interface ConversationOffer {
  id: string;
  type: CouponType;
  value: number;
  status: "offered" | "redeeming" | "redeemed";
  coupon: CouponResult | null;
}

export async function conversationOffer(services: Services, conversationId: string | undefined): Promise<ConversationOffer | null> {
  if (!conversationId) return null;
  const row = await services.store.rpc<ConversationOffer | null>("coupon_offer_for_checkout", { p_conversation_id: conversationId });
  return row ? { ...row, value: Number(row.value) } : null;
}
