/** The checkout provider interface: one per way of taking payment (Stripe Checkout, Wix's hosted checkout). */
import type { Services } from "../../services.js";
import type { PricedLine } from "../lines.js";
import type { ConversationOffer } from "../offer.js";
import type { CheckoutChannel, CheckoutResult } from "../types.js";

/** A cart priced by the server, ready for a provider. */
export interface PricedCart {
  lines: PricedLine[];
  email?: string | undefined;
  conversationId?: string | undefined;
  channel?: CheckoutChannel | undefined;
  quoteId?: string | undefined;
}

export interface CheckoutProvider {
  readonly kind: "stripe" | "wix";
  /** Opens (or, for a double click, returns) the payment page of the cart, with the offer applied when it can be. */
  open(services: Services, cart: PricedCart, offer: ConversationOffer | null): Promise<CheckoutResult>;
}
