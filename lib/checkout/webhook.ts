/**
 * POST /api/stripe-webhook, in a fixed order: verify Stripe-Signature on the raw body (nothing
 * is parsed or stored before), map the event type, then one SQL call claims the event id and
 * moves the order forward (never back), checking the paid amount and currency against the
 * order. The follow-ups of a newly paid order run after the response. Unknown types: 200.
 */
import type Stripe from "stripe";
import { ApiError } from "../errors.js";
import { StripeSignatureError, verifyStripeEvent } from "../integrations/stripe/index.js";
import type { Services } from "../services.js";
import { FOLLOWUP_LEASE_SECONDS, runOrderFollowUps } from "./order-paid.js";
import { applyStripeEvent, orderRecordPayment, type EventTarget, type OrderStatus } from "./store.js";

export const HANDLED_EVENTS = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "checkout.session.async_payment_failed",
  "checkout.session.expired",
] as const;

export interface WebhookOutcome {
  received: true;
  eventId: string;
  type: string;
  /** false for event types this app does not handle. */
  handled: boolean;
  /** The event id was already claimed (a retry or a parallel duplicate). */
  duplicate: boolean;
  /** The order moved to a new status. */
  changed: boolean;
  status?: OrderStatus;
}

/** The order status an event asks for. */
export function targetOf(type: string, session: Pick<Stripe.Checkout.Session, "payment_status">): EventTarget | null {
  switch (type) {
    case "checkout.session.completed":
      return session.payment_status === "paid" ? "paid" : "processing";
    case "checkout.session.async_payment_succeeded":
      return "paid";
    case "checkout.session.async_payment_failed":
      return "failed";
    case "checkout.session.expired":
      return "expired";
    default:
      return null;
  }
}

export async function handleStripeWebhook(
  services: Services,
  rawBody: string,
  signature: string | null,
  waitUntil: (p: Promise<unknown>) => void,
): Promise<WebhookOutcome> {
  const stripe = services.config.stripe;
  if (!stripe.configured) throw new ApiError("payments_not_configured", "Online payment is not configured on this shop.");

  let event: Stripe.Event;
  try {
    event = await verifyStripeEvent(rawBody, signature, stripe.webhookSecret);
  } catch (err) {
    if (err instanceof StripeSignatureError) {
      services.log.warn("stripe webhook rejected", { reason: err.message });
      throw new ApiError("invalid_signature", "Invalid Stripe signature.");
    }
    throw err;
  }

  const session = event.data.object as Partial<Stripe.Checkout.Session>;
  const target = targetOf(event.type, { payment_status: session.payment_status ?? "unpaid" });
  if (target === null || session.object !== "checkout.session" || typeof session.id !== "string") {
    return { received: true, eventId: event.id, type: event.type, handled: false, duplicate: false, changed: false };
  }

  const result = await applyStripeEvent(services.store, {
    eventId: event.id,
    type: event.type,
    sessionId: session.id,
    target,
    amountTotal: typeof session.amount_total === "number" ? session.amount_total : null,
    currency: session.currency ?? null,
    email: session.customer_details?.email ?? null,
    leaseSeconds: FOLLOWUP_LEASE_SECONDS,
  });
  if (result.claimed && !result.found) services.log.warn("stripe event for an unknown session", { eventId: event.id, type: event.type });
  if (result.anomaly) services.log.error("stripe payment does not match its order", { orderId: result.order?.id, anomaly: result.anomaly });
  if (result.followup && result.order) {
    const order = result.order;
    // The Stripe payment id: Wix records the order under it (externalOrderId) and order status finds it.
    const paymentId = typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent?.id;
    if (paymentId && !order.paymentId) {
      await orderRecordPayment(services.store, session.id, paymentId);
      order.paymentId = paymentId;
    }
    waitUntil(runOrderFollowUps(services, order));
  }
  return {
    received: true,
    eventId: event.id,
    type: event.type,
    handled: true,
    duplicate: !result.claimed,
    changed: result.changed,
    ...(result.status ? { status: result.status } : {}),
  };
}
