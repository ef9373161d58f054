/**
 * POST /api/checkout — a Stripe Checkout session from server-verified prices.
 *   Body `{items: [{productId, quantity}], email?, conversationId?}` or `{quoteId, email?}`;
 *   never a price (any unknown field, e.g. `price` or `amount`, is a 400). -> `{url, sessionId}`.
 *   Rate limited per IP. 503 payments_not_configured when STRIPE_SECRET_KEY is unset.
 * GET /api/checkout?session_id=cs_... — the order's status for the success page
 *   (status, items, total; no personal data).
 */
import { checkoutRequestSchema, createCheckout, getCheckoutStatus, statusQuerySchema } from "../lib/checkout/index.js";
import { ApiError } from "../lib/errors.js";
import { enforceRateLimit } from "../lib/rate-limit.js";
import { route } from "../lib/route.js";

/** Checkout sessions per IP per 10 minutes (each one is a Stripe call). */
const RATE = { limit: 30, windowSeconds: 600 };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("checkout", {
  POST: {
    summary: "A Stripe Checkout session for products or a quote (prices from the server)",
    body: checkoutRequestSchema,
    responses: { 200: { description: "{url, sessionId}" }, 429: { description: "Rate limited (Retry-After)" }, 503: { description: "Payments not configured" } },
    async handler({ body, ip, services }) {
      if (!services.config.stripe.configured) throw new ApiError("payments_not_configured", "Online payment is not configured on this shop.");
      await enforceRateLimit(services.store, `checkout:ip:${ip}`, RATE, "Too many checkout attempts. Please try again in a few minutes.");
      return createCheckout(services, "quoteId" in body ? body : { ...body, channel: "web" });
    },
  },
  GET: {
    summary: "An order's status for the success page (no personal data)",
    query: statusQuerySchema,
    handler: ({ query, services }) => getCheckoutStatus(services, query.session_id),
  },
});
