/**
 * What happens once an order is paid (or paid but flagged for review): the follow-ups. Each is
 * a named hook run after the webhook answered (waitUntil); the order row holds a lease on them
 * and remembers which hooks are done, so a crash or a failed hook is retried by
 * `retryOrderFollowUps` (cron) and a done hook never runs twice.
 *
 * A hook receives the PaidOrder (conversationId + channel say where to write) and must itself be
 * idempotent per order id (a retry may run it again if it threw). The list of hooks is built in
 * one place, lib/orders/paid-hooks.ts (used by the Stripe webhook and the cron only), so this
 * module never imports the channels.
 */
import { notify } from "../notifications/index.js";
import type { Services } from "../services.js";
import { formatMoney, fromMinorUnits } from "../money/index.js";
import { followupClaim, followupFinish, type OrderRow } from "./store.js";
import type { OrderPaidHook, PaidOrder } from "../orders/paid-order.js";

export type { OrderPaidHook, PaidOrder } from "../orders/paid-order.js";

export function toPaidOrder(o: OrderRow): PaidOrder {
  return {
    orderId: o.id,
    sessionId: o.sessionId ?? "",
    status: o.status === "review" ? "review" : "paid",
    anomaly: o.anomaly,
    currency: o.currency,
    amountTotal: o.amountTotal,
    total: fromMinorUnits(o.amountTotal, o.currency),
    items: o.items.map((i) => ({ productId: i.productId, name: i.name, quantity: i.quantity, unitAmount: i.unitAmount })),
    email: o.email,
    conversationId: o.conversationId,
    channel: o.channel,
    quoteId: o.quoteId,
    paidAt: o.paidAt ?? new Date().toISOString(),
  };
}

const TEXT = {
  fr: {
    paid: "Commande payée",
    review: "Paiement à vérifier",
    paidBody: "Une commande a été payée en ligne (Stripe).",
    reviewBody: "Un paiement Stripe ne correspond pas à la commande enregistrée. Vérifiez-le dans le tableau de bord Stripe avant d'expédier.",
    order: "Commande", total: "Total", items: "Articles", email: "Email", conversation: "Conversation", channel: "Canal",
    quote: "Devis", session: "Session Stripe", anomaly: "Anomalie",
    confirmSubject: "Votre commande est confirmée",
    confirmBody: (total: string) => `Merci ! Nous avons bien reçu votre paiement de ${total}. Nous préparons votre commande.`,
    reference: "Référence",
  },
  en: {
    paid: "Order paid",
    review: "Payment to check",
    paidBody: "An order was paid online (Stripe).",
    reviewBody: "A Stripe payment does not match the recorded order. Check it in the Stripe Dashboard before shipping.",
    order: "Order", total: "Total", items: "Items", email: "Email", conversation: "Conversation", channel: "Channel",
    quote: "Quote", session: "Stripe session", anomaly: "Anomaly",
    confirmSubject: "Your order is confirmed",
    confirmBody: (total: string) => `Thank you! We received your payment of ${total}. We are preparing your order.`,
    reference: "Reference",
  },
} as const;

const itemLines = (o: PaidOrder) => o.items.map((i) => `${i.quantity} × ${i.name} (${formatMoney(i.unitAmount, o.currency)})`).join("\n");

/** The owner hears of every paid order (and of every payment to check), once per order. */
export const ownerNotificationHook: OrderPaidHook = {
  name: "owner_notification",
  async run(services, o) {
    const t = TEXT[services.config.app.defaultLanguage];
    const total = formatMoney(o.amountTotal, o.currency);
    const sep = services.config.app.defaultLanguage === "fr" ? " : " : ": ";
    await notify(services, {
      type: o.status === "paid" ? "order_paid" : "order_review",
      dedupKey: `order-paid:${o.orderId}`,
      subject: `${o.status === "paid" ? t.paid : t.review}${sep}${total}`,
      message: o.status === "paid" ? t.paidBody : t.reviewBody,
      fields: {
        [t.order]: o.orderId,
        [t.total]: total,
        [t.items]: itemLines(o),
        [t.email]: o.email ?? "",
        [t.conversation]: o.conversationId ?? "",
        [t.channel]: o.channel ?? "",
        [t.quote]: o.quoteId ?? "",
        [t.session]: o.sessionId,
        [t.anomaly]: o.anomaly ?? "",
      },
      ...(o.email ? { replyTo: o.email } : {}),
    });
  },
};

/**
 * The shopper's confirmation by email, when their address is known and the payment matched.
 * Goes through notify() (durable, deduplicated per order, retried by the notification job);
 * the email module's allowlist (ADMIN_EMAIL_ALLOWED_DOMAINS) still applies to the address.
 */
export const shopperEmailHook: OrderPaidHook = {
  name: "shopper_email",
  async run(services, o) {
    if (o.status !== "paid" || !o.email) return;
    const t = TEXT[services.config.app.defaultLanguage];
    const total = formatMoney(o.amountTotal, o.currency);
    await notify(services, {
      type: "order_confirmation",
      dedupKey: `order-confirmation:${o.orderId}`,
      channels: ["email"],
      to: o.email,
      subject: t.confirmSubject,
      message: t.confirmBody(total),
      fields: { [t.items]: itemLines(o), [t.total]: total, [t.reference]: o.orderId.slice(0, 8).toUpperCase() },
    });
  },
};

/** A failed follow-up is retried after this delay (by the retry job). */
export const FOLLOWUP_RETRY_SECONDS = 600;
/** How long the webhook's caller holds the follow-ups before the retry job may take them. */
export const FOLLOWUP_LEASE_SECONDS = 300;
const FOLLOWUP_MAX_ATTEMPTS = 10;

/**
 * Runs the hooks of `order` not done yet, then records which ones are done. Never throws for
 * a hook failure (it is logged and retried later); throws only if the result cannot be recorded.
 */
export async function runOrderFollowUps(
  services: Services,
  row: OrderRow,
  hooks: readonly OrderPaidHook[],
): Promise<{ done: string[]; failed: string[] }> {
  const order = toPaidOrder(row);
  const already = new Set(row.followupDone ?? []);
  const done: string[] = [];
  const failed: string[] = [];
  for (const hook of hooks) {
    if (already.has(hook.name)) continue;
    try {
      await hook.run(services, order);
      done.push(hook.name);
    } catch (err) {
      failed.push(hook.name);
      services.log.error("order follow-up failed", { orderId: order.orderId, hook: hook.name, error: (err as Error)?.message });
    }
  }
  await followupFinish(services.store, order.orderId, done, failed.length === 0, FOLLOWUP_RETRY_SECONDS);
  return { done, failed };
}

/** Cron: runs the follow-ups whose lease ended (crashed or failed runs). Bounded per call. */
export async function retryOrderFollowUps(
  services: Services,
  hooks: readonly OrderPaidHook[],
  limit = 20,
): Promise<{ claimed: number; completed: number; failed: number }> {
  const rows = await followupClaim(services.store, limit, FOLLOWUP_LEASE_SECONDS, FOLLOWUP_MAX_ATTEMPTS);
  let completed = 0;
  let failed = 0;
  for (const row of rows) {
    const r = await runOrderFollowUps(services, row, hooks);
    if (r.failed.length) failed++;
    else completed++;
  }
  return { claimed: rows.length, completed, failed };
}
