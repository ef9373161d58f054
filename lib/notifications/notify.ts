/**
 * Owner notifications (new lead, new quote, handoff, paid order, ...) by email and WhatsApp,
 * deduplicated in Postgres so that many instances, retries and parallel duplicates send each
 * message once per (dedupKey, channel) within NOTIFY_DEDUP_TTL_SECONDS (6 h by default):
 *
 *   1. one round trip claims the key on every channel and records a row per channel
 *      (sending | deduped | skipped_not_configured) — the claim happens BEFORE any send;
 *   2. the claimed channels are sent in parallel (email: SMTP or the outbox; WhatsApp: Graph);
 *   3. one round trip records sent | failed; a failed send gives its claim back, so a later
 *      notify() with the same key, or the retry job (GET /api/cron/cleanup), sends it.
 *
 * Email goes to `to` or NOTIFICATION_EMAIL/ADMIN_EMAIL (allowlist applies); WhatsApp always to
 * ADMIN_PHONE. notify() throws only when the store is unreachable; send failures are results.
 */
import type { Services } from "../services.js";
import { OUTBOX_PLACEHOLDER_RECIPIENT, deliver, type Delivery } from "./deliver.js";
import {
  notificationBegin,
  notificationFinish,
  type ChannelPlan,
  type NotificationChannel,
  type NotificationContent,
} from "./store.js";
import { whatsappConfigured } from "./whatsapp.js";

export type NotifyStatus = "sent" | "deduped" | "failed" | "skipped_not_configured";

export interface NotifyInput {
  /** What happened, e.g. "lead", "quote", "handoff", "order_paid". */
  type: string;
  /** Same key within the TTL -> sent once per channel (e.g. `lead:marie@example.fr`). */
  dedupKey: string;
  subject: string;
  message: string;
  /** Label -> value, shown as a table (escaped) and as text lines, in this order. */
  fields?: Record<string, string>;
  /** Defaults to both. */
  channels?: NotificationChannel[];
  /** Email recipient instead of NOTIFICATION_EMAIL/ADMIN_EMAIL: a shopper's own address (the owner allowlist does not apply). */
  to?: string;
  /** Reply-To of the email (e.g. the lead's address). */
  replyTo?: string;
}

export interface NotifyResult {
  channel: NotificationChannel;
  status: NotifyStatus;
  /** The app_notification row. */
  notificationId: string;
  transport?: "smtp" | "outbox" | "whatsapp";
  /** The .eml file written, when email went to the outbox. */
  outboxPath?: string;
  error?: string;
}

const FIELD_MAX = 2000;

/** How long a sender holds a 'sending' row before the retry job may take it over. */
export function sendLeaseSeconds(services: Services): number {
  return Math.max(120, Math.ceil((services.config.email.timeoutMs * 4) / 1000), Math.ceil((services.config.whatsapp.timeoutMs * 2) / 1000));
}

function plan(services: Services, channels: NotificationChannel[], to: string | undefined): ChannelPlan[] {
  const { email, notifications } = services.config;
  return channels.map((channel) => {
    if (channel === "email") {
      const recipient = to?.trim() || notifications.adminEmail || (email.configured ? null : OUTBOX_PLACEHOLDER_RECIPIENT);
      return { channel, recipient, configured: recipient !== null };
    }
    const on = whatsappConfigured(services);
    return { channel, recipient: on ? notifications.adminPhone! : null, configured: on };
  });
}

function content(input: NotifyInput): NotificationContent {
  if (!input.type.trim() || !input.dedupKey.trim()) throw new TypeError("notify: type and dedupKey are required");
  const fields = Object.entries(input.fields ?? {})
    .filter(([, v]) => v !== undefined && v !== null && String(v).trim() !== "")
    .map(([k, v]): [string, string] => [k.slice(0, 100), String(v).slice(0, FIELD_MAX)]);
  return {
    type: input.type.slice(0, 60),
    dedupKey: input.dedupKey.slice(0, 300),
    subject: input.subject.slice(0, 300),
    message: input.message.slice(0, 10_000),
    fields,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
  };
}

/** Sends an owner notification once per (dedupKey, channel) per TTL. See the file header. */
export async function notify(services: Services, input: NotifyInput): Promise<NotifyResult[]> {
  const body = content(input);
  const channels = [...new Set(input.channels ?? (["email", "whatsapp"] as const))];
  const plans = plan(services, channels, input.to);
  const begun = await notificationBegin(services.store, body, plans, services.config.notifications.dedupTtlSeconds, sendLeaseSeconds(services));

  const deliveries = new Map<string, Delivery>();
  await Promise.all(
    begun
      .filter((b) => b.status === "sending")
      .map(async (b) => {
        const recipient = plans.find((p) => p.channel === b.channel)?.recipient ?? null;
        deliveries.set(b.id, await deliver(services, b.id, b.channel, recipient, body));
      }),
  );
  if (deliveries.size) {
    try {
      await notificationFinish(
        services.store,
        [...deliveries.values()].map(({ id, ok, error, retryable, transport }) => ({ id, ok, error, retryable, transport })),
      );
    } catch (err) {
      // The sends happened; the rows stay 'sending' until their lease ends (the retry job then
      // treats them as interrupted). Say so rather than fail the caller.
      services.log.error("notification outcome not recorded", { type: body.type, error: (err as Error).message });
    }
  }

  return begun.map((b): NotifyResult => {
    if (b.status !== "sending") return { channel: b.channel, status: b.status, notificationId: b.id };
    const d = deliveries.get(b.id)!;
    return {
      channel: b.channel,
      status: d.ok ? "sent" : "failed",
      notificationId: b.id,
      ...(d.transport ? { transport: d.transport } : {}),
      ...(d.path ? { outboxPath: d.path } : {}),
      ...(d.error ? { error: d.error } : {}),
    };
  });
}
