/**
 * Wix's hosted checkout (pattern A of FACTS §3b: Create Checkout + Get Checkout URL, which a
 * site API key may call): the cart becomes a Wix eCommerce checkout of catalogue references
 * (the variant included), with the Wix code of the conversation's offer and the shopper's email;
 * Wix then owns payment, the order, stock, fulfilment and its emails. A double click within the
 * same 5-minute bucket gets the same checkout (the order row holds its id and URL).
 *
 * Failure modes: a code Wix refuses -> the link without it and `coupon.applied: false` (the
 * assistant says so); Wix down -> UpstreamError / BreakerOpenError (the assistant says payment
 * is briefly unavailable).
 */
import { redeemOffer } from "../../coupons/redeem.js";
import { isUnavailable } from "../../http/index.js";
import { getWixClient } from "../../integrations/wix/client.js";
import { createWixCheckout, wixCheckoutUrl } from "../../integrations/wix/ecom-checkout.js";
import type { Services } from "../../services.js";
import { totalOf } from "../lines.js";
import type { ConversationOffer } from "../offer.js";
import { orderAbandon, orderAttachSession, orderBeginFor, type OrderCoupon, type OrderItem } from "../store.js";
import type { CheckoutCoupon, CheckoutResult } from "../types.js";
import { cartHash, REUSE_BUCKET_SECONDS } from "./stripe.js";
import type { CheckoutProvider, PricedCart } from "./types.js";

/** The Wix code of the offer: its coupon if redeemed, else redeemed now (creates the Wix coupon once). */
async function offerCode(services: Services, offer: ConversationOffer | null): Promise<string | null> {
  if (!offer) return null;
  if (offer.status === "redeemed" && offer.coupon?.code) return offer.coupon.code;
  try {
    return (await redeemOffer(services, offer.id, { waitMs: 3000 })).coupon.code;
  } catch (err) {
    if (isUnavailable(err)) throw err;
    services.log.warn("offer not redeemed at checkout; checkout without it", { offerId: offer.id, error: (err as Error).message });
    return null;
  }
}

export const wixProvider: CheckoutProvider = {
  kind: "wix",
  async open(services: Services, cart: PricedCart, offer: ConversationOffer | null): Promise<CheckoutResult> {
    const { config, store, log } = services;
    const client = getWixClient(services);
    const currency = config.stripe.currency;
    const code = await offerCode(services, offer);
    const hash = cartHash({ currency, ...cart, provider: "wix", ...(code ? { discount: code } : {}) });
    const items: OrderItem[] = cart.lines.map((l) => ({
      productId: l.productId, name: l.name, unitAmount: l.unitAmount, quantity: l.quantity,
      ...(l.variantId ? { variantId: l.variantId, choices: l.choices ?? {}, ...(l.byChoice ? { byChoice: true } : {}) } : {}),
    }));
    const order = await orderBeginFor(store, "wix", {
      cartHash: hash,
      bucketSeconds: REUSE_BUCKET_SECONDS,
      expirySeconds: config.stripe.expiryMinutes * 60,
      currency,
      amountTotal: totalOf(cart.lines),
      items,
      email: cart.email,
      conversationId: cart.conversationId,
      channel: cart.channel,
      ...(offer && code ? { coupon: { offerId: offer.id, code, applied: false } satisfies OrderCoupon } : {}),
    });
    if (order.sessionId && order.url) {
      // A double click: same checkout; the coupon outcome is the one recorded at creation.
      return { provider: "wix", url: order.url, checkoutId: order.sessionId };
    }

    let created;
    let url: string;
    try {
      created = await createWixCheckout(client, {
        lines: cart.lines.map((l) => ({
          productId: l.productId!,
          quantity: l.quantity,
          variantId: l.variantId ?? null,
          ...(l.choices ? { choices: l.choices } : {}),
          ...(l.byChoice ? { byChoice: true } : {}),
        })),
        couponCode: code,
        email: cart.email ?? null,
      });
      url = await wixCheckoutUrl(client, created.checkoutId);
    } catch (err) {
      await orderAbandon(store, order.id, (err as Error).message ?? "wix checkout failed").catch((e: Error) =>
        log.warn("checkout abandon not recorded", { orderId: order.id, error: e.message }),
      );
      throw err;
    }
    if (created.coupon && !created.coupon.applied) {
      log.warn("wix refused the offer's coupon on the checkout", { checkoutId: created.checkoutId, offerId: offer?.id, message: created.coupon.message });
    }
    const recorded = await orderAttachSession(store, order.id, created.checkoutId, url);
    const coupon: CheckoutCoupon | undefined = created.coupon
      ? created.coupon.applied
        ? { code: created.coupon.code, applied: true, ...(created.coupon.discount ? { discount: created.coupon.discount } : {}) }
        : { code: created.coupon.code, applied: false, reason: "refused", message: created.coupon.message }
      : undefined;
    return { provider: "wix", url: recorded?.url ?? url, checkoutId: recorded?.sessionId ?? created.checkoutId, ...(coupon ? { coupon } : {}) };
  },
};
