/**
 * The channels' cron step (GET /api/cron/cleanup): sends what is due again — failed-retryable
 * parts, parts released behind them, parts whose sender died — and re-runs inbound work that
 * failed or was interrupted, each at most CHANNEL_MAX_ATTEMPTS times in all; then deletes old
 * finished rows. One round trip leases everything due; one records the sends.
 */
import type { Services } from "../services.js";
import { runWork, workLeaseSeconds } from "./inbound.js";
import { sendRows } from "./ledger.js";
import { ledgerAdapter, ledgerAdapters } from "./registry.js";
import { channelCleanup, outboundFinish, retryClaim } from "./store.js";

export const CHANNEL_MAX_ATTEMPTS = 5;
export const CHANNEL_RETRY_BATCH = 25;

export async function retryChannelWork(
  services: Services,
  opts: { limit?: number; maxAttempts?: number } = {},
): Promise<Record<string, number>> {
  const claim = await retryClaim(services.store, {
    limit: opts.limit ?? CHANNEL_RETRY_BATCH,
    maxAttempts: opts.maxAttempts ?? CHANNEL_MAX_ATTEMPTS,
    outboundLeaseSeconds: Math.max(...ledgerAdapters.map((a) => a.leaseSeconds(services))),
    workLeaseSeconds: workLeaseSeconds(services),
  });

  const outcomes = await sendRows(
    services,
    claim.outbound.map((r) => ({ ...r, window: { phone: r.phone, last_inbound_at: r.last_inbound_at, window_open: r.window_open, now: r.now } })),
    ledgerAdapter,
  );
  if (outcomes.length) await outboundFinish(services.store, outcomes);

  let workDone = 0;
  for (const w of claim.work) {
    if (w.action === "ignore") continue;
    const ok = await runWork(
      services,
      { channel: w.channel, messageId: w.message_id, userId: w.user_id, action: w.action, record: w.message },
      Math.min(6 * 3600, 300 * 2 ** Math.max(0, w.attempts - 1)),
    );
    if (ok) workDone++;
  }
  if (claim.exhausted.outbound || claim.exhausted.work) {
    services.log.error("channel retries exhausted: messages recorded as failed / abandoned", claim.exhausted);
  }

  const cleaned = await channelCleanup(services.store);
  return {
    outbound_retried: outcomes.filter((o) => o.status !== "pending").length,
    outbound_sent: outcomes.filter((o) => o.status === "sent").length,
    outbound_failed: outcomes.filter((o) => o.status === "failed").length,
    outbound_undeliverable: outcomes.filter((o) => o.status === "undeliverable").length,
    outbound_gave_up: claim.exhausted.outbound,
    work_retried: claim.work.length,
    work_done: workDone,
    work_abandoned: claim.exhausted.work,
    ...cleaned,
  };
}
