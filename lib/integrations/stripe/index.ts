/**
 * lib/integrations/stripe — the official `stripe` SDK, loaded lazily (dynamic import) by the
 * payment routes only. `stripeCall(services, fn)` runs one SDK call under the shared "stripe"
 * circuit breaker and turns SDK failures into UpstreamError; `verifyStripeEvent` checks
 * webhook signatures on the raw body.
 */
import { serviceBreaker } from "../../http/index.js";
import { lazy, type Services } from "../../services.js";
import { createStripeClient, type StripeClient } from "./client.js";
import { isStripeUpstreamFailure, toUpstreamError } from "./errors.js";

export { createStripeClient, loadStripeSdk, stripeHostOptions, type StripeClient, type StripeClientConfig, type StripeModule } from "./client.js";
export { isStripeError, isStripeUpstreamFailure, toUpstreamError } from "./errors.js";
export { verifyStripeEvent, StripeSignatureError, type StripeEvent } from "./webhook.js";

export class StripeNotConfiguredError extends Error {
  override name = "StripeNotConfiguredError";
  constructor() {
    super("Stripe is not configured (set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET).");
  }
}

/** The instance's Stripe client (memoised per Services). */
export function stripeClient(services: Services): Promise<StripeClient> {
  const cfg = services.config.stripe;
  if (!cfg.configured) return Promise.reject(new StripeNotConfiguredError());
  return lazy(services, "stripe:client", () =>
    createStripeClient({ secretKey: cfg.secretKey, baseUrl: cfg.baseUrl, timeoutMs: cfg.timeoutMs }),
  );
}

/**
 * Runs `fn(stripe)` under the "stripe" breaker. Connection errors, timeouts, 429 and 5xx count
 * as failures (after the SDK's own retries); 4xx do not. Stripe SDK errors are rethrown as
 * UpstreamError (service "stripe", with status and Stripe's error code).
 */
export async function stripeCall<T>(services: Services, fn: (stripe: StripeClient) => Promise<T>): Promise<T> {
  const stripe = await stripeClient(services);
  try {
    return await serviceBreaker(services, "stripe", () => fn(stripe), isStripeUpstreamFailure);
  } catch (err) {
    throw toUpstreamError(err);
  }
}
