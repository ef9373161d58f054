/**
 * POST /api/checkout — the payment page of a cart, from server-verified prices: Wix's hosted
 *   checkout (CHECKOUT_PROVIDER=wix, the default with Wix) or a Stripe Checkout session.
 *   Body `{items: [{productId, quantity, variantId?}], email?, conversationId?}` or
 *   `{quoteId, email?}` (quotes: Stripe); never a price (any unknown field, e.g. `price` or
 *   `amount`, is a 400). -> `{url, provider, sessionId? (Stripe), checkoutId? (Wix),
 *   orderNumber?, coupon?: {code?, applied, reason?, message?, discount?}}`.
 *   A product with options and no `variantId`: 422 naming the option and its values
 *   (`error.details[0]`: `{reason: "needs_choice", option, choices}`).
 *   Rate limited per IP. 503 payments_not_configured when the provider is not configured.
 * GET /api/checkout?session_id=cs_... — the order's status for the success page
 *   (status, items, total; no personal data).
 */
import { checkoutRequestSchema, createCheckout, getCheckoutStatus, statusQuerySchema } from "../lib/checkout/index.js";
import { assertProviderReady, cartProvider, stripeProvider } from "../lib/checkout/providers/index.js";
import { enforceRateLimit } from "../lib/rate-limit.js";
import { route } from "../lib/route.js";

/** Checkout sessions per IP per 10 minutes (each one is a Stripe call). */
const RATE = { limit: 30, windowSeconds: 600 };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("checkout", {
  POST: {
    summary: "The payment page of a cart (Wix hosted checkout or Stripe) or of a quote (Stripe); prices from the server",
    body: checkoutRequestSchema,
    responses: {
      200: { description: "{url, provider, sessionId? (Stripe), checkoutId? (Wix), orderNumber?, coupon?: {code?, applied, reason?, message?, discount?}}" },
      400: { description: "Invalid body, or an id that is not an id" },
      422: { description: "A product cannot be sold (unknown, sold out), or a choice is missing: details[0] = {reason: 'needs_choice', option, choices}" },
      429: { description: "Rate limited (Retry-After)" },
      502: { description: "The catalogue or the payment provider is unavailable" },
      503: { description: "Payments not configured" },
    },
    async handler({ body, ip, services }) {
      assertProviderReady(services.config, "quoteId" in body ? stripeProvider : cartProvider(services.config));
      await enforceRateLimit(services.store, `checkout:ip:${ip}`, RATE, "Too many checkout attempts. Please try again in a few minutes.");
      return createCheckout(services, "quoteId" in body ? body : { ...body, channel: "web" });
    },
  },
  // GET /api/checkout?session_id=cs_... — the Stripe order's status for the success page.
  GET: {
    summary: "An order's status for the success page (no personal data)",
    query: statusQuerySchema,
    handler: ({ query, services }) => getCheckoutStatus(services, query.session_id),
  },
});
