/**
 * The retention job (one entry of lib/cron/jobs.ts): deletes what is past its time in SQL
 * (privacy_retention: conversations CHAT_RETENTION_DAYS after their last message, leads
 * LEAD_RETENTION_DAYS after the last contact, orders trimmed to the accounting record), then
 * deletes the Drive files of the purged conversations, and runs checkout's own cleanup (old Stripe
 * event claims, abandoned checkouts), which no job ran before. One log line with the counts per table;
 * running it twice deletes nothing more.
 */
import { checkoutCleanup } from "../checkout/store.js";
import type { Services } from "../services.js";
import { purgeDriveFiles } from "./drive-purge.js";
import { retentionRun } from "./store.js";

const BATCH = 5000;

export async function runRetention(services: Services): Promise<Record<string, number>> {
  const { chatRetentionDays, leadRetentionDays } = services.config.privacy;
  const counts = await retentionRun(services.store, chatRetentionDays, leadRetentionDays, BATCH);
  const drive = await purgeDriveFiles(services);
  // Stripe event claims and checkouts abandoned before Stripe answered (they hold an email).
  const checkout = await checkoutCleanup(services.store);
  const all = { ...counts, ...drive, ...checkout };
  services.log.info("retention", { chatRetentionDays, leadRetentionDays, ...all });
  return all;
}
