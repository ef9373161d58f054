/**
 * offer_coupon: stores a coupon OFFER through createCouponOffer (lib/coupons), which clamps it
 * to COUPON_MAX_PERCENT / COUPON_MAX_FIXED_AMOUNT and allows one offer per conversation and per
 * contact per COUPON_COOLDOWN_DAYS. The tool never sees or makes a code: the shopper presses
 * "Get my code" (payload `redeem:<offerId>`) or the page calls POST /api/coupon {offerId}.
 * One offer per turn, however often the model asks.
 */
import { channelTraits } from "../../channels/traits.js";
import { isUnavailable } from "../../http/index.js";
import { createCouponOffer } from "../../coupons/index.js";
import { addButton, addNote, once, type TurnContext } from "../context.js";
import { button } from "../format.js";
import { offerValue, texts } from "../texts.js";
import type { OfferCouponInput } from "./schemas.js";

export type CouponToolResult =
  | { status: "created"; offer: { id: string; type: string; value: number; expiresAt: string }; howToRedeem: string }
  | { status: "cooldown"; retryAfterDays: number }
  | { status: "unavailable" };

/** Who an offer is for across conversations: the lead's email, else the channel user. */
export function contactKeyOf(ctx: TurnContext): string | undefined {
  const email = ctx.draft.leadEmail ?? ctx.contactEmail;
  if (email) return email.toLowerCase();
  return channelTraits(ctx.channel).userKeyIdentifies ? `${ctx.channel}:${ctx.userKey}` : undefined;
}

export async function offerCouponTool(ctx: TurnContext, input: OfferCouponInput): Promise<CouponToolResult> {
  const t = texts(ctx.lang);
  if (!ctx.conversationId) {
    ctx.draft.tools.push({ name: "offer_coupon", status: "unavailable" });
    addNote(ctx.draft, t.offerUnavailable);
    return { status: "unavailable" };
  }
  const conversationId = ctx.conversationId;
  return once(ctx, "offer", async (): Promise<CouponToolResult> => {
    let result;
    try {
      const contactKey = contactKeyOf(ctx);
      result = await createCouponOffer(ctx.services, {
        conversationId,
        ...(contactKey ? { contactKey } : {}),
        ...(input.type ? { type: input.type } : {}),
        ...(typeof input.value === "number" ? { value: input.value } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
      });
    } catch (err) {
      if (isUnavailable(err) || (err as Error)?.name === "StoreError") {
        ctx.draft.tools.push({ name: "offer_coupon", status: "unavailable" });
        addNote(ctx.draft, t.offerUnavailable);
        return { status: "unavailable" };
      }
      throw err;
    }
    if (result.status === "cooldown") {
      ctx.draft.tools.push({ name: "offer_coupon", status: "cooldown" });
      addNote(ctx.draft, t.offerCooldown(result.retryAfterDays));
      return { status: "cooldown", retryAfterDays: result.retryAfterDays };
    }
    const { offer } = result;
    const currency = ctx.services.config.stripe.currency.toUpperCase();
    ctx.draft.coupon = { offerId: offer.id, type: offer.type, value: offer.value, expiresAt: offer.expiresAt };
    addButton(ctx.draft, button(t.button.redeem, `redeem:${offer.id}`));
    addNote(ctx.draft, t.offer(offerValue(offer.type, offer.value, currency, ctx.lang), offer.id, t.date(offer.expiresAt)));
    ctx.draft.tools.push({ name: "offer_coupon", status: "created" });
    return {
      status: "created",
      offer: { id: offer.id, type: offer.type, value: offer.value, expiresAt: offer.expiresAt },
      howToRedeem: "The shopper presses the 'Get my code' button under this message to receive the code. Never write a code yourself.",
    };
  });
}
