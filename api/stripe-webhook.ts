/**
 * POST /api/stripe-webhook — signed Stripe events. The Stripe-Signature header is verified on
 * the raw body first (401 invalid_signature otherwise, nothing stored); each event id is
 * handled once. Subscribe to checkout.session.completed, .async_payment_succeeded,
 * .async_payment_failed and .expired; other types get 200 and are ignored.
 * 503 payments_not_configured when Stripe is not configured (Stripe retries later).
 */
import { handleStripeWebhook } from "../lib/checkout/index.js";
import { route } from "../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("stripe-webhook", {
  POST: {
    summary: "Signed Stripe events (Stripe-Signature)",
    rawBody: true,
    maxBodyBytes: 512 * 1024,
    handler: ({ request, rawBody, services, waitUntil }) =>
      handleStripeWebhook(services, rawBody, request.headers.get("stripe-signature"), waitUntil),
  },
});
