/**
 * Stripe Checkout from server-verified prices:
 *   1. take the order of this cart for the current 5-minute bucket in Postgres (one round
 *      trip): a double click gets the same order, hence the same Stripe idempotency keys and
 *      identical parameters (the expiry comes from the bucket), hence the same session;
 *   2. the conversation's offer becomes a Stripe coupon of our own, created server-side for
 *      this order only (amount off, one redemption), never a Wix code typed into Stripe;
 *   3. create the session through the SDK under the "stripe" breaker;
 *   4. record it on the order (pending).
 * success_url / cancel_url come from PUBLIC_BASE_URL only, never from the request.
 */
import { createHash } from "node:crypto";
import type Stripe from "stripe";
import { ApiError } from "../../errors.js";
import { UpstreamError } from "../../http/errors.js";
import { stripeCall } from "../../integrations/stripe/index.js";
import type { Services } from "../../services.js";
import type { PricedLine } from "../lines.js";
import { totalOf } from "../lines.js";
import { fromMinorUnits, toDecimalString, toMinorUnits } from "../../money/index.js";
import type { ConversationOffer } from "../offer.js";
import { orderAbandon, orderAttachSession, orderBeginFor, type OrderCoupon, type OrderItem } from "../store.js";
import type { CheckoutCoupon, CheckoutResult } from "../types.js";
import type { CheckoutProvider, PricedCart } from "./types.js";

/** Double clicks within this window reuse the same order and Stripe session. */
export const REUSE_BUCKET_SECONDS = 300;

export function successUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl}/checkout/success.html?session_id={CHECKOUT_SESSION_ID}`;
}
export function cancelUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl}/checkout/cancel.html`;
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** What makes two checkouts "the same": every parameter sent to the provider but the expiry. */
export function cartHash(c: {
  currency: string; lines: readonly PricedLine[]; email?: string | undefined; conversationId?: string | undefined;
  channel?: string | undefined; quoteId?: string | undefined; provider?: string; discount?: unknown;
}): string {
  return sha256(
    JSON.stringify({
      v: 1,
      currency: c.currency,
      lines: c.lines.map((l) => [l.productId, l.name, l.unitAmount, l.quantity, l.imageUrl ?? null, ...(l.variantId ? [l.variantId] : [])]),
      email: c.email?.toLowerCase() ?? null,
      conversationId: c.conversationId ?? null,
      channel: c.channel ?? null,
      quoteId: c.quoteId ?? null,
      ...(c.provider && c.provider !== "stripe" ? { provider: c.provider } : {}),
      ...(c.discount ? { discount: c.discount } : {}),
    }),
  );
}

/** The Stripe idempotency key of an order: sha256 of the cart hash and the order taken for it. */
export function idempotencyKey(hash: string, orderId: string): string {
  return `comptoir-checkout-${sha256(`${hash}:${orderId}`)}`;
}

/**
 * The offer as an amount off the cart, in minor units, computed exactly: a percentage of the
 * total rounded down, or a fixed amount capped at the total. Free shipping: Stripe sessions
 * here charge no shipping, so there is nothing to take off.
 */
export function stripeDiscount(offer: Pick<ConversationOffer, "type" | "value">, totalMinor: number, currency: string): { amount: number; reason?: string } {
  switch (offer.type) {
    case "PERCENTAGE": {
      const hundredths = BigInt(Math.round(offer.value * 100)); // 12.5 % -> 1250
      const amount = Number((BigInt(totalMinor) * hundredths) / 10_000n);
      return { amount: Math.min(amount, totalMinor) };
    }
    case "FIXED_AMOUNT":
      return { amount: Math.min(toMinorUnits(toDecimalString(offer.value), currency), totalMinor) };
    case "FREE_SHIPPING":
      return { amount: 0, reason: "no_shipping_charged" };
  }
}

export const stripeProvider: CheckoutProvider = {
  kind: "stripe",
  async open(services: Services, cart: PricedCart, offer: ConversationOffer | null): Promise<CheckoutResult> {
    const { config, store, log } = services;
    const currency = config.stripe.currency;
    const subtotal = totalOf(cart.lines);
    const discount = offer && !cart.quoteId ? stripeDiscount(offer, subtotal, currency) : null;
    const discountAmount = discount?.amount ?? 0;
    const amountTotal = subtotal - discountAmount;
    const coupon: OrderCoupon | null = offer && discount ? { offerId: offer.id, applied: discountAmount > 0, reason: discount.reason ?? null } : null;
    const hash = cartHash({ currency, ...cart, ...(discountAmount ? { discount: [offer!.id, discountAmount] } : {}) });
    const items: OrderItem[] = cart.lines.map((l) => ({
      productId: l.productId, name: l.name, unitAmount: l.unitAmount, quantity: l.quantity,
      ...(l.variantId ? { variantId: l.variantId, choices: l.choices ?? {}, ...(l.byChoice ? { byChoice: true } : {}) } : {}),
    }));
    const shown: CheckoutCoupon | undefined = coupon
      ? { applied: coupon.applied, ...(coupon.applied ? { discount: fromMinorUnits(discountAmount, currency) } : { reason: coupon.reason ?? "not_applied" }) }
      : undefined;

    const order = await orderBeginFor(store, "stripe", {
      cartHash: hash,
      bucketSeconds: REUSE_BUCKET_SECONDS,
      expirySeconds: config.stripe.expiryMinutes * 60,
      currency,
      amountTotal,
      items,
      email: cart.email,
      conversationId: cart.conversationId,
      channel: cart.channel,
      quoteId: cart.quoteId,
      discountAmount,
      coupon,
    });
    const number = order.number ? { orderNumber: order.number } : {};
    if (order.sessionId && order.url) return { provider: "stripe", url: order.url, sessionId: order.sessionId, ...number, ...(shown ? { coupon: shown } : {}) };

    const base = config.app.publicBaseUrl;
    const reference = cart.conversationId ?? cart.quoteId;
    const metadata: Record<string, string> = { orderId: order.id, source: "comptoir" };
    if (cart.conversationId) metadata.conversationId = cart.conversationId;
    if (cart.quoteId) metadata.quoteId = cart.quoteId;
    if (cart.channel) metadata.channel = cart.channel;
    if (order.number) metadata.orderNumber = order.number;

    try {
      let stripeCouponId: string | null = null;
      if (discountAmount > 0) {
        // Our own coupon for this order only: one redemption, once, an exact amount off.
        const c = await stripeCall(services, (stripe) =>
          stripe.coupons.create(
            { amount_off: discountAmount, currency, duration: "once", max_redemptions: 1, name: "Offre Comptoir".slice(0, 40), metadata: { orderId: order.id, offerId: offer!.id } },
            { idempotencyKey: `${idempotencyKey(hash, order.id)}-coupon` },
          ),
        );
        stripeCouponId = c.id;
      }
      const params: Stripe.Checkout.SessionCreateParams = {
        mode: "payment",
        line_items: cart.lines.map((l) => ({
          quantity: l.quantity,
          price_data: {
            currency,
            unit_amount: l.unitAmount,
            product_data: {
              name: l.name.slice(0, 250),
              ...(l.imageUrl ? { images: [l.imageUrl] } : {}),
              ...(l.productId ? { metadata: { productId: l.productId, ...(l.variantId ? { variantId: l.variantId } : {}) } } : {}),
            },
          },
        })),
        success_url: successUrl(base),
        cancel_url: cancelUrl(base),
        ...(reference ? { client_reference_id: reference } : {}),
        metadata,
        ...(cart.email ? { customer_email: cart.email } : {}),
        ...(stripeCouponId ? { discounts: [{ coupon: stripeCouponId }] } : {}),
        expires_at: order.expiresAt,
        locale: "auto",
      };
      const session = await stripeCall(services, (stripe) => stripe.checkout.sessions.create(params, { idempotencyKey: idempotencyKey(hash, order.id) }));
      if (!session.url) {
        throw new UpstreamError({ service: "stripe", kind: "invalid_response", message: "Stripe returned a Checkout Session without a URL." });
      }
      if (session.amount_total !== amountTotal || session.currency !== currency) {
        log.error("stripe session amount differs from the order", { orderId: order.id, expected: amountTotal, got: session.amount_total, currency: session.currency });
      }
      const recorded = await orderAttachSession(store, order.id, session.id, session.url);
      if (recorded?.sessionId && recorded.sessionId !== session.id) {
        log.error("order already had another Stripe session", { orderId: order.id });
      }
      return { provider: "stripe", url: recorded?.url ?? session.url, sessionId: recorded?.sessionId ?? session.id, ...number, ...(shown ? { coupon: shown } : {}) };
    } catch (err) {
      throw await stripeFailure(services, order.id, err);
    }
  },
};

/**
 * Maps a failed session creation. Stripe keeps the result of a request that it executed
 * (errors included) under its idempotency key, so after an answer the order gives its key up;
 * after a connection failure or a 429 the key is kept: a retry may safely reuse it.
 */
async function stripeFailure(services: Services, orderId: string, err: unknown): Promise<unknown> {
  if (!(err instanceof UpstreamError)) return err;
  if (err.kind === "http" && err.status !== 429) {
    await orderAbandon(services.store, orderId, `${err.status ?? ""} ${err.code ?? ""} ${err.message}`.trim()).catch((e: Error) =>
      services.log.warn("checkout abandon not recorded", { orderId, error: e.message }),
    );
  }
  if (err.status === 401 || err.status === 403) {
    services.log.error("stripe refused the API key", { status: err.status });
    return new ApiError("payments_not_configured", "Online payment is temporarily unavailable on this shop.");
  }
  if (err.code === "amount_too_small" || err.code === "amount_too_large") {
    return new ApiError("unprocessable", err.code === "amount_too_small" ? "The order total is below the minimum that can be paid online." : "The order total is above what can be paid online.");
  }
  if (err.status !== undefined && err.status >= 400 && err.status < 500 && err.status !== 429) {
    services.log.error("stripe refused the checkout session", { status: err.status, code: err.code, body: err.body });
  }
  return err;
}
