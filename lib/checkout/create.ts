/**
 * createCheckout: a Stripe Checkout session from server-verified prices.
 *
 *   1. validate the input (strict; limits from the configuration) before any lookup;
 *   2. price the lines: catalogue ids through getProduct, or the stored quote;
 *   3. take the order of this cart for the current 5-minute bucket in Postgres (one round
 *      trip): a double click gets the same order, hence the same Stripe idempotency key and
 *      identical parameters (the expiry comes from the bucket), hence the same session;
 *   4. create the session through the SDK under the "stripe" breaker;
 *   5. record it on the order (pending).
 * success_url / cancel_url come from PUBLIC_BASE_URL only, never from the request.
 */
import { createHash } from "node:crypto";
import type Stripe from "stripe";
import { ApiError } from "../errors.js";
import { parseWith } from "../route/validate.js";
import { UpstreamError } from "../http/errors.js";
import { stripeCall } from "../integrations/stripe/index.js";
import type { Services } from "../services.js";
import { priceLines, totalOf, type PricedLine } from "./lines.js";
import { checkoutInputSchema } from "./schema.js";
import { orderAbandon, orderAttachSession, orderBegin, quoteGet, type OrderItem } from "./store.js";
import type { CheckoutChannel, CheckoutInput, CheckoutResult } from "./types.js";

/** Double clicks within this window reuse the same order and Stripe session. */
export const REUSE_BUCKET_SECONDS = 300;

export function successUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl}/checkout/success.html?session_id={CHECKOUT_SESSION_ID}`;
}
export function cancelUrl(publicBaseUrl: string): string {
  return `${publicBaseUrl}/checkout/cancel.html`;
}

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** What makes two checkouts "the same": every parameter sent to Stripe but the expiry. */
export function cartHash(c: {
  currency: string; lines: readonly PricedLine[]; email?: string | undefined; conversationId?: string | undefined;
  channel?: string | undefined; quoteId?: string | undefined;
}): string {
  return sha256(
    JSON.stringify({
      v: 1,
      currency: c.currency,
      lines: c.lines.map((l) => [l.productId, l.name, l.unitAmount, l.quantity, l.imageUrl ?? null]),
      email: c.email?.toLowerCase() ?? null,
      conversationId: c.conversationId ?? null,
      channel: c.channel ?? null,
      quoteId: c.quoteId ?? null,
    }),
  );
}

/** The Stripe idempotency key of an order: sha256 of the cart hash and the order taken for it. */
export function idempotencyKey(hash: string, orderId: string): string {
  return `comptoir-checkout-${sha256(`${hash}:${orderId}`)}`;
}

function parseInput(input: unknown) {
  return parseWith(checkoutInputSchema, input, "The checkout request is invalid.");
}

interface Priced {
  lines: PricedLine[];
  email?: string | undefined;
  conversationId?: string | undefined;
  channel?: CheckoutChannel | undefined;
  quoteId?: string | undefined;
}

async function priceQuote(services: Services, quoteId: string, email: string | undefined): Promise<Priced> {
  const quote = await quoteGet(services.store, quoteId);
  if (!quote) throw new ApiError("not_found", "This quote does not exist.");
  if (quote.status === "paid") throw new ApiError("conflict", "This quote has already been paid.");
  if (quote.status === "expired") throw new ApiError("gone", "This quote has expired. Please ask the shop for a new one.");
  if (quote.status !== "open") throw new ApiError("gone", "This quote is no longer available.");
  if (quote.currency !== services.config.stripe.currency) {
    throw new ApiError("unprocessable", `This quote is in ${quote.currency.toUpperCase()}, the shop now charges in ${services.config.stripe.currency.toUpperCase()}.`);
  }
  return {
    lines: quote.items.map((i) => ({ productId: i.productId, name: i.name, unitPrice: i.unitPrice, unitAmount: i.unitAmount, quantity: i.quantity })),
    email: email ?? quote.customer.email,
    conversationId: quote.conversationId ?? undefined,
    channel: quote.channel ?? undefined,
    quoteId: quote.id,
  };
}

/**
 * Creates (or returns, for a double click) a Stripe Checkout session for a cart of catalogue
 * ids or a stored quote. Throws ApiError payments_not_configured (503), validation_failed
 * (400: bad quantities, too many lines, unknown fields), unprocessable (422, naming the item:
 * unknown, invisible or out of stock), not_found (404) / conflict (409, already paid) / gone
 * (410, expired) for quotes; UpstreamError / BreakerOpenError when Stripe is down (502).
 */
export async function createCheckout(services: Services, input: CheckoutInput): Promise<CheckoutResult> {
  const { config, store, log } = services;
  if (!config.stripe.configured) throw new ApiError("payments_not_configured", "Online payment is not configured on this shop.");
  const req = parseInput(input);

  const priced: Priced =
    "quoteId" in req
      ? await priceQuote(services, req.quoteId, req.email)
      : {
          lines: await priceLines(services, req.items),
          email: req.email,
          conversationId: req.conversationId,
          channel: req.channel ?? "web",
        };
  const currency = config.stripe.currency;
  const amountTotal = totalOf(priced.lines);
  const hash = cartHash({ currency, ...priced });
  const items: OrderItem[] = priced.lines.map((l) => ({ productId: l.productId, name: l.name, unitAmount: l.unitAmount, quantity: l.quantity }));

  const order = await orderBegin(store, {
    cartHash: hash,
    bucketSeconds: REUSE_BUCKET_SECONDS,
    expirySeconds: config.stripe.expiryMinutes * 60,
    currency,
    amountTotal,
    items,
    email: priced.email,
    conversationId: priced.conversationId,
    channel: priced.channel,
    quoteId: priced.quoteId,
  });
  if (order.sessionId && order.url) return { url: order.url, sessionId: order.sessionId };

  const base = config.app.publicBaseUrl;
  const reference = priced.conversationId ?? priced.quoteId;
  const metadata: Record<string, string> = { orderId: order.id, source: "comptoir" };
  if (priced.conversationId) metadata.conversationId = priced.conversationId;
  if (priced.quoteId) metadata.quoteId = priced.quoteId;
  if (priced.channel) metadata.channel = priced.channel;

  const params: Stripe.Checkout.SessionCreateParams = {
    mode: "payment",
    line_items: priced.lines.map((l) => ({
      quantity: l.quantity,
      price_data: {
        currency,
        unit_amount: l.unitAmount,
        product_data: {
          name: l.name.slice(0, 250),
          ...(l.imageUrl ? { images: [l.imageUrl] } : {}),
          ...(l.productId ? { metadata: { productId: l.productId } } : {}),
        },
      },
    })),
    success_url: successUrl(base),
    cancel_url: cancelUrl(base),
    ...(reference ? { client_reference_id: reference } : {}),
    metadata,
    ...(priced.email ? { customer_email: priced.email } : {}),
    expires_at: order.expiresAt,
    locale: "auto",
  };

  let session: Stripe.Checkout.Session;
  try {
    session = await stripeCall(services, (stripe) => stripe.checkout.sessions.create(params, { idempotencyKey: idempotencyKey(hash, order.id) }));
  } catch (err) {
    throw await stripeFailure(services, order.id, err);
  }
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
  return { url: recorded?.url ?? session.url, sessionId: recorded?.sessionId ?? session.id };
}

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
