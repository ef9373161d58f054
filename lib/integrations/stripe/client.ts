/**
 * The Stripe SDK client, built from its config. The `stripe` package is imported dynamically,
 * so only the routes that pay (checkout, webhook, quote) ever load it. The SDK does its own
 * network retries (maxNetworkRetries: 2, with automatic idempotency keys on POST) and timeout;
 * the base URL (STRIPE_API_BASE_URL) points it at a double in tests. Transport: the SDK's fetch
 * client, whose timeout covers the whole request (headers and body), which suits a serverless
 * time budget better than the Node client's per-stage socket timeout.
 */
import type Stripe from "stripe";

export type StripeClient = Stripe;
export type StripeModule = typeof Stripe;

export interface StripeClientConfig {
  secretKey: string;
  /** e.g. https://api.stripe.com (a path, if any, is ignored: the SDK takes host/port/protocol). */
  baseUrl: string;
  timeoutMs: number;
  maxNetworkRetries?: number;
}

let sdk: Promise<StripeModule> | undefined;
/** The SDK class, imported on first use. */
export function loadStripeSdk(): Promise<StripeModule> {
  sdk ??= import("stripe").then((m) => m.default).catch((err: unknown) => {
    sdk = undefined;
    throw err;
  });
  return sdk;
}

/** host / port / protocol for the SDK from a base URL. */
export function stripeHostOptions(baseUrl: string): { host: string; port: number; protocol: "http" | "https" } {
  const u = new URL(baseUrl);
  const protocol = u.protocol === "http:" ? "http" : "https";
  return { host: u.hostname, port: u.port ? Number(u.port) : protocol === "http" ? 80 : 443, protocol };
}

export async function createStripeClient(config: StripeClientConfig): Promise<StripeClient> {
  const StripeSdk = await loadStripeSdk();
  return new StripeSdk(config.secretKey, {
    maxNetworkRetries: config.maxNetworkRetries ?? 2,
    timeout: config.timeoutMs,
    ...stripeHostOptions(config.baseUrl),
    httpClient: StripeSdk.createFetchHttpClient(),
    appInfo: { name: "comptoir" },
  });
}
