/**
 * lib/integrations/stripe — the official `stripe` SDK, loaded lazily (dynamic import) by the
 * payment routes only. `createStripeIntegration(config slice, deps).call(fn)` runs one SDK call
 * under the shared "stripe" circuit breaker and turns SDK failures into UpstreamError
 * (`stripeCall(services, fn)` binds it to the instance's services); `verifyStripeEvent` checks
 * webhook signatures on the raw body.
 */
import type { Config } from "../../config.js";
import { withBreaker } from "../../http/index.js";
import { lazy, type Services } from "../../services.js";
import { integrationDeps, type IntegrationDeps } from "../deps.js";
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

export type StripeConfig = Extract<Config["stripe"], { configured: true }>;

export interface StripeIntegration {
  /**
   * Runs `fn(stripe)` under the "stripe" breaker. Connection errors, timeouts, 429 and 5xx count
   * as failures (after the SDK's own retries); 4xx do not. Stripe SDK errors are rethrown as
   * UpstreamError (service "stripe", with status and Stripe's error code).
   */
  call<T>(fn: (stripe: StripeClient) => Promise<T>): Promise<T>;
}

/** Stripe from its own config slice (STRIPE_*) and the shared deps; the SDK loads on the first call. */
export function createStripeIntegration(cfg: StripeConfig, deps: IntegrationDeps): StripeIntegration {
  let client: Promise<StripeClient> | undefined;
  return {
    async call(fn) {
      client ??= createStripeClient({ secretKey: cfg.secretKey, baseUrl: cfg.baseUrl, timeoutMs: cfg.timeoutMs }).catch((err: unknown) => {
        client = undefined;
        throw err;
      });
      const stripe = await client;
      try {
        return await withBreaker({ store: deps.store, log: deps.log, settings: deps.breakers }, "stripe", () => fn(stripe), isStripeUpstreamFailure);
      } catch (err) {
        throw toUpstreamError(err);
      }
    },
  };
}

/** The instance's Stripe (memoised per Services; the one place Services is narrowed for Stripe). */
export function getStripe(services: Services): StripeIntegration {
  const cfg = services.config.stripe;
  if (!cfg.configured) throw new StripeNotConfiguredError();
  return lazy(services, "stripe:integration", () => createStripeIntegration(cfg, integrationDeps(services)));
}

/** `getStripe(services).call(fn)`. */
export async function stripeCall<T>(services: Services, fn: (stripe: StripeClient) => Promise<T>): Promise<T> {
  return getStripe(services).call(fn);
}
