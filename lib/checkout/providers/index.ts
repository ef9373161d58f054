/**
 * lib/checkout/providers — the one place that chooses how a cart is paid: Wix's hosted checkout
 * (the order, stock and fulfilment stay in Wix) or Stripe Checkout (the demo shop, quotes, and
 * Wix shops that set CHECKOUT_PROVIDER=stripe; a Stripe-paid order is then recorded in Wix).
 * Nothing else branches on the provider.
 */
import type { Config } from "../../config.js";
import { ApiError } from "../../errors.js";
import type { Services } from "../../services.js";
import { stripeProvider } from "./stripe.js";
import type { CheckoutProvider } from "./types.js";
import { wixProvider } from "./wix.js";

export type { CheckoutProvider, PricedCart } from "./types.js";
export { stripeProvider, stripeDiscount, successUrl, cancelUrl, cartHash, idempotencyKey } from "./stripe.js";
export { wixProvider } from "./wix.js";

/** The provider of catalogue carts (quotes always use Stripe). */
export function cartProvider(config: Config): CheckoutProvider {
  return config.checkout.provider === "wix" ? wixProvider : stripeProvider;
}

/** Throws payments_not_configured when the chosen provider cannot take payments. */
export function assertProviderReady(config: Config, provider: CheckoutProvider): void {
  if (provider.kind === "stripe" && !config.stripe.configured) {
    throw new ApiError("payments_not_configured", "Online payment is not configured on this shop.");
  }
  if (provider.kind === "wix" && !config.wix.configured) {
    throw new ApiError("payments_not_configured", "Online payment is not configured on this shop.");
  }
}

/** True when catalogue carts can be paid online (the chosen provider is configured). */
export function paymentsReady(services: Services): boolean {
  try {
    assertProviderReady(services.config, cartProvider(services.config));
    return true;
  } catch {
    return false;
  }
}
