/**
 * lib/checkout — payments from server-verified prices, per variant (the browser and the LLM
 * never send a price): Wix's hosted checkout or Stripe Checkout, chosen in providers/ by
 * CHECKOUT_PROVIDER; owner quotes payable once (Stripe); the signed Stripe webhook that moves
 * orders forward only, and the follow-ups of a paid order. State lives in
 * supabase/migrations/*_checkout.sql and *_wix_sales.sql.
 *
 *   create.ts     createCheckout (cart or quote -> the provider's payment page, double clicks deduplicated)
 *   providers/    the provider chosen in one place: Wix hosted checkout or Stripe Checkout
 *   variants.ts   which variant a line buys, or which choice is missing; offer.ts the conversation's offer
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
export { chooseVariant, variantLabel, type VariantChoice } from "./variants.js";
export { cartProvider, assertProviderReady, paymentsReady, stripeDiscount, type CheckoutProvider, type PricedCart } from "./providers/index.js";
export { conversationOffer, type ConversationOffer } from "./offer.js";
export { checkoutCleanup, orderGet, quoteGet, type OrderRow, type OrderStatus, type QuoteRow } from "./store.js";
