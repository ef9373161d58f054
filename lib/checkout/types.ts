/**
 * Public types of lib/checkout: what callers (POST /api/checkout, the assistant's checkout
 * tool, the channels) pass in and get back. Prices never come from a caller: a cart names
 * catalogue ids and quantities, a quote names a quote stored server-side.
 */

/** The channel a conversation came from (where the shopper is told their order is paid). */
export type CheckoutChannel = "web" | "whatsapp" | "messenger";

export interface CartCheckoutInput {
  /** `variantId`: the variant of a product with options (sizes, colours); required when it has several. */
  items: { productId: string; quantity: number; variantId?: string | undefined; choices?: Record<string, string> | undefined }[];
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

/** What became of the conversation's coupon offer on this checkout. */
export interface CheckoutCoupon {
  /** The Wix code sent to Wix's checkout (absent on Stripe, where the discount is our own). */
  code?: string;
  /** true when the discount is on the payment page. */
  applied: boolean;
  /** Why not, when not applied: "refused" (Wix's coupon error), "no_shipping_charged" (free shipping on Stripe)... */
  reason?: string;
  /** Wix's message when it refused the code. */
  message?: string;
  /** The discount, exact decimal string, when known. */
  discount?: string;
}

export interface CheckoutResult {
  /** The payment page: Stripe-hosted, or Wix's hosted checkout. */
  url: string;
  provider: "stripe" | "wix";
  /** Stripe Checkout Session id (cs_...), on the Stripe path. */
  sessionId?: string;
  /** Wix eCommerce checkout id, on the Wix path. */
  checkoutId?: string;
  /** Short human order number (Stripe path), for order status. */
  orderNumber?: string;
  coupon?: CheckoutCoupon;
}
