/**
 * POST /api/stripe-webhook, in a fixed order: verify Stripe-Signature on the raw body (nothing
 * is parsed or stored before), map the event type, then one SQL call claims the event id and
 * moves the order forward (never back), checking the paid amount and currency against the
 * order. The follow-ups of a newly paid order run after the response. Unknown types: 200.
 */
import type Stripe from "stripe";
import * as z from "zod/mini";
import { ApiError } from "../errors.js";
import { normaliseText } from "../route/text.js";
import { parseWith } from "../route/validate.js";
import { StripeSignatureError, verifyStripeEvent } from "../integrations/stripe/index.js";
import type { Services } from "../services.js";
import { orderPaidHooks } from "../orders/paid-hooks.js";
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

/**
 * What this handler reads of a signed event; a signed body that is not shaped like this is a
 * 400 (Stripe never sends one; a leaked secret or a test tool could), never a 500.
 */
const nonEmpty = z.string().check(z.minLength(1));
const eventEnvelope = z.object({
  id: nonEmpty,
  type: nonEmpty,
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/** The session fields read for the event types handled here. */
const sessionFields = z.object({
  object: z.string(),
  id: nonEmpty,
  payment_status: z.nullish(z.string()),
  amount_total: z.nullish(z.number().check(z.int())),
  currency: z.nullish(z.string()),
  customer_details: z.nullish(z.object({ email: z.nullish(z.string()) })),
  // The PaymentIntent: an id, or the object when expanded.
  payment_intent: z.nullish(z.union([z.string(), z.object({ id: z.string() })])),
});

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

  // Text normalised like every request body (NUL refused: PostgreSQL cannot store it).
  const envelope = parseWith(eventEnvelope, normaliseText(event), "The signed body is not a Stripe event.");
  const object = envelope.data.object;
  const handledType = (HANDLED_EVENTS as readonly string[]).includes(envelope.type);
  if (!handledType || object.object !== "checkout.session") {
    return { received: true, eventId: envelope.id, type: envelope.type, handled: false, duplicate: false, changed: false };
  }
  const session = parseWith(sessionFields, object, "The event's checkout session is malformed.");
  const target = targetOf(envelope.type, { payment_status: (session.payment_status ?? "unpaid") as Stripe.Checkout.Session.PaymentStatus });
  if (target === null) return { received: true, eventId: envelope.id, type: envelope.type, handled: false, duplicate: false, changed: false };

  const result = await applyStripeEvent(services.store, {
    eventId: envelope.id,
    type: envelope.type,
    sessionId: session.id,
    target,
    amountTotal: session.amount_total ?? null,
    currency: session.currency ?? null,
    email: session.customer_details?.email ?? null,
    leaseSeconds: FOLLOWUP_LEASE_SECONDS,
  });
  if (result.claimed && !result.found) services.log.warn("stripe event for an unknown session", { eventId: envelope.id, type: envelope.type });
  if (result.anomaly) services.log.error("stripe payment does not match its order", { orderId: result.order?.id, anomaly: result.anomaly });
  if (result.followup && result.order) {
    const order = result.order;
    // The Stripe payment id: Wix records the order under it (externalOrderId) and order status finds it.
    const paymentId = typeof session.payment_intent === "string" ? session.payment_intent : (session.payment_intent?.id ?? null);
    if (paymentId && !order.paymentId) {
      await orderRecordPayment(services.store, session.id, paymentId);
      order.paymentId = paymentId;
    }
    waitUntil(runOrderFollowUps(services, order, orderPaidHooks));
  }
  return {
    received: true,
    eventId: envelope.id,
    type: envelope.type,
    handled: true,
    duplicate: !result.claimed,
    changed: result.changed,
    ...(result.status ? { status: result.status } : {}),
  };
}
