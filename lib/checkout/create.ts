/**
 * createCheckout: a payment page for a cart or a quote, from server-verified prices.
 *
 *   1. validate the input (strict; limits from the configuration) before any lookup;
 *   2. price the lines: catalogue ids (and their variants) through getProduct, or the stored
 *      quote; a missing choice or a variant out of stock is refused here, before any payment call;
 *   3. hand the priced cart and the conversation's offer to the provider chosen in
 *      lib/checkout/providers (Wix's hosted checkout or Stripe; quotes always Stripe).
 */
import { ApiError } from "../errors.js";
import { parseWith } from "../route/validate.js";
import type { Services } from "../services.js";
import { priceLines } from "./lines.js";
import { conversationOffer } from "./offer.js";
import { assertProviderReady, cartProvider, stripeProvider, type PricedCart } from "./providers/index.js";
import { checkoutInputSchema } from "./schema.js";
import { quoteGet } from "./store.js";
import type { CheckoutInput, CheckoutResult } from "./types.js";

export { cartHash, idempotencyKey, successUrl, cancelUrl, REUSE_BUCKET_SECONDS } from "./providers/stripe.js";

function parseInput(input: unknown) {
  return parseWith(checkoutInputSchema, input, "The checkout request is invalid.");
}

async function priceQuote(services: Services, quoteId: string, email: string | undefined): Promise<PricedCart> {
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
 * Creates (or returns, for a double click) the payment page of a cart of catalogue ids or of a
 * stored quote. Throws ApiError payments_not_configured (503), validation_failed (400: bad
 * quantities, too many lines, unknown fields, ids that are not ids), unprocessable (422, naming
 * the item: unknown, invisible, out of stock, or a choice missing with the option and its
 * values), not_found (404) / conflict (409, already paid) / gone (410, expired) for quotes;
 * UpstreamError / BreakerOpenError when the catalogue or the provider is down (502 / 503).
 */
export async function createCheckout(services: Services, input: CheckoutInput): Promise<CheckoutResult> {
  const { config } = services;
  const isQuote = typeof input === "object" && input !== null && "quoteId" in input;
  const provider = isQuote ? stripeProvider : cartProvider(config);
  assertProviderReady(config, provider);
  const req = parseInput(input);

  const cart: PricedCart =
    "quoteId" in req
      ? await priceQuote(services, req.quoteId, req.email)
      : {
          lines: await priceLines(services, req.items),
          email: req.email,
          conversationId: req.conversationId,
          channel: req.channel ?? "web",
        };
  const offer = "quoteId" in req ? null : await conversationOffer(services, cart.conversationId);
  return provider.open(services, cart, offer);
}
