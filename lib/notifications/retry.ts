/**
 * The notification retry step of the cron job: failed sends (and sends whose sender died) are
 * tried again, at most NOTIFY_MAX_ATTEMPTS times in all, with backoff between attempts; each
 * retry re-takes the (dedupKey, channel) claim first, so it never doubles a delivery.
 */
import type { Services } from "../services.js";
import { sendLeaseSeconds } from "./notify.js";
import { deliver } from "./deliver.js";
import { notificationFinish, notificationRetryClaim } from "./store.js";

export const NOTIFY_MAX_ATTEMPTS = 5;
export const NOTIFY_RETRY_BATCH = 25;

export async function retryFailedNotifications(
  services: Services,
  opts: { limit?: number; maxAttempts?: number } = {},
): Promise<{ retried: number; sent: number; failed: number; superseded: number; exhausted: number }> {
  const { claimed, superseded, exhausted } = await notificationRetryClaim(
    services.store,
    opts.limit ?? NOTIFY_RETRY_BATCH,
    opts.maxAttempts ?? NOTIFY_MAX_ATTEMPTS,
    services.config.notifications.dedupTtlSeconds,
    sendLeaseSeconds(services),
  );
  const outcomes = [];
  for (const row of claimed) {
    outcomes.push(
      await deliver(services, row.id, row.channel, row.recipient, {
        subject: row.subject,
        message: row.message,
        fields: row.fields,
        ...(row.reply_to ? { replyTo: row.reply_to } : {}),
      }),
    );
  }
  if (outcomes.length) {
    await notificationFinish(
      services.store,
      outcomes.map(({ id, ok, error, retryable, transport }) => ({ id, ok, error, retryable, transport })),
    );
  }
  const sent = outcomes.filter((o) => o.ok).length;
  return { retried: claimed.length, sent, failed: claimed.length - sent, superseded, exhausted };
}
