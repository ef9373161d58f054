/**
 * Public types of lib/checkout: what callers (POST /api/checkout, the assistant's checkout
 * tool, the channels) pass in and get back. Prices never come from a caller: a cart names
 * catalogue ids and quantities, a quote names a quote stored server-side.
 */

/** The channel a conversation came from (where the shopper is told their order is paid). */
export type CheckoutChannel = "web" | "whatsapp" | "messenger";

export interface CartCheckoutInput {
  items: { productId: string; quantity: number }[];
  /** Pre-fills Stripe's email field; also where the paid confirmation goes. */
  email?: string;
  /** The assistant's conversation id: becomes Stripe's client_reference_id. */
  conversationId?: string;
  /** Where the conversation happens (default "web"). */
  channel?: CheckoutChannel;
}

export interface QuoteCheckoutInput {
  quoteId: string;
  email?: string;
}

export type CheckoutInput = CartCheckoutInput | QuoteCheckoutInput;

export interface CheckoutResult {
  /** Stripe-hosted payment page. */
  url: string;
  /** Stripe Checkout Session id (cs_...). */
  sessionId: string;
}
