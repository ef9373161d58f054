/**
 * lib/checkout — payments: Stripe Checkout sessions from server-verified prices (the browser
 * and the LLM never send a price), owner quotes payable once, the signed Stripe webhook that
 * moves orders forward only, and the follow-ups of a paid order (owner notification, shopper
 * confirmation, channel hook). State lives in supabase/migrations/*_checkout.sql.
 *
 *   create.ts     createCheckout (cart or quote -> Stripe session, double clicks deduplicated)
 *   lines.ts      pricing and limits (money: lib/money); products.ts catalogue lookups
 *   quote.ts      createQuote (POST /api/quote); quote-notify.ts the owner's "new quote" notification
 *   webhook.ts    handleStripeWebhook (POST /api/stripe-webhook)
 *   order-paid.ts the owner's and the shopper's follow-up hooks and the runner (the list of
 *                 hooks is lib/orders/paid-hooks.ts)
 *   status.ts     getCheckoutStatus (GET /api/checkout?session_id=)
 */
export * from "./types.js";
export { createCheckout, cartHash, idempotencyKey, successUrl, cancelUrl, REUSE_BUCKET_SECONDS } from "./create.js";
export { createQuote, newQuoteId, type QuoteResult } from "./quote.js";
export { notifyNewQuote, type QuoteNotice } from "./quote-notify.js";
export { handleStripeWebhook, targetOf, HANDLED_EVENTS, type WebhookOutcome } from "./webhook.js";
export {
  ownerNotificationHook, shopperEmailHook, runOrderFollowUps, toPaidOrder,
  FOLLOWUP_LEASE_SECONDS, FOLLOWUP_RETRY_SECONDS, type OrderPaidHook, type PaidOrder,
} from "./order-paid.js";
export { getCheckoutStatus, type CheckoutStatus } from "./status.js";
export { checkoutRequestSchema, quoteRequestSchema, statusQuerySchema } from "./schema.js";
export { priceLines, totalOf, checkLimits, type PricedLine, type RequestedLine } from "./lines.js";
export { checkoutCleanup, orderGet, quoteGet, type OrderRow, type OrderStatus, type QuoteRow } from "./store.js";
