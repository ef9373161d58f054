/**
 * Stripe-Signature verification with the SDK's own verifier (HMAC-SHA256 over `t.rawBody`,
 * constant-time compare, default 300 s tolerance). Nothing is parsed before it succeeds.
 */
import type Stripe from "stripe";
import { loadStripeSdk } from "./client.js";

export type StripeEvent = Stripe.Event;

export class StripeSignatureError extends Error {
  override name = "StripeSignatureError";
}

/** The verified event, or StripeSignatureError (missing header, bad signature, stale timestamp). */
export async function verifyStripeEvent(rawBody: string, signatureHeader: string | null, webhookSecret: string): Promise<StripeEvent> {
  if (!signatureHeader) throw new StripeSignatureError("Missing Stripe-Signature header.");
  const StripeSdk = await loadStripeSdk();
  try {
    return StripeSdk.webhooks.constructEvent(rawBody, signatureHeader, webhookSecret);
  } catch (err) {
    throw new StripeSignatureError(`Stripe signature verification failed: ${(err as Error).message}`);
  }
}
