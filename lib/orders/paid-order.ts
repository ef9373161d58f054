/**
 * lib/orders — what a paid order is to the modules that react to it (checkout, channels): the
 * PaidOrder shape and the hook interface (paid-order.ts), and the one list of paid-order hooks
 * (paid-hooks.ts), used only by the Stripe webhook and the cron, so that no follow-up module
 * imports another.
 */
import type { CheckoutChannel } from "../checkout/types.js";
import type { Services } from "../services.js";

/** A paid order, as the follow-up hooks see it. */
export interface PaidOrder {
  orderId: string;
  sessionId: string;
  /** "review": money received but the amount, currency or quote did not match (see anomaly). */
  status: "paid" | "review";
  anomaly: string | null;
  currency: string;
  /** Integer minor units, and the same as an exact decimal string. */
  amountTotal: number;
  total: string;
  items: { productId: string | null; name: string; quantity: number; unitAmount: number }[];
  /** What the shopper entered (chat or Stripe's form), when known. */
  email: string | null;
  /** The conversation the checkout came from, and its channel: where to tell the shopper. */
  conversationId: string | null;
  channel: CheckoutChannel | null;
  quoteId: string | null;
  paidAt: string;
}

export interface OrderPaidHook {
  name: string;
  run(services: Services, order: PaidOrder): Promise<void>;
}

