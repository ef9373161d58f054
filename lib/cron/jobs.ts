/**
 * lib/cron — the scheduled cleanup and retry work run by GET /api/cron/cleanup (Vercel cron,
 * daily at 03:00 UTC). Each job is independent, bounded (a batch, a number of attempts), and
 * returns counts; one failing job does not stop the others.
 *
 * To add a step (WhatsApp failed sends, Stripe follow-ups, ...): append one entry to
 * `cronJobs`, importing its module lazily so the route stays light.
 */
import { cleanupExpired } from "../store/queries.js";
import type { Services } from "../services.js";

export interface CronJob {
  name: string;
  run(services: Services): Promise<Record<string, number>>;
}

export const cronJobs: CronJob[] = [
  {
    name: "expired_rows",
    async run(services) {
      const base = await cleanupExpired(services.store);
      const own = await services.store.rpc<Record<string, number>>("comms_cleanup_expired");
      return { ...base, ...own };
    },
  },
  {
    name: "lead_crm_sync",
    run: async (services) => (await import("../leads/crm-sync.js")).retryPendingCrmSyncs(services),
  },
  {
    name: "notification_retry",
    run: async (services) => (await import("../notifications/retry.js")).retryFailedNotifications(services),
  },
  {
    name: "handoff_timers",
    run: async (services) => (await import("../owner/timers.js")).runHandoffTimers(services),
  },
  {
    name: "retention",
    run: async (services) => (await import("../privacy/retention.js")).runRetention(services),
  },
  {
    name: "channel_jobs",
    run: async (services) => (await import("../channels/jobs.js")).drainLeftovers(services),
  },
  {
    name: "channel_retry",
    run: async (services) => (await import("../channels/retry.js")).retryChannelWork(services),
  },
  {
    name: "order_followup_retry",
    run: async (services) => (await import("../orders/paid-hooks.js")).retryOrderFollowUps(services),
  },
  {
    name: "catalogue_sync",
    run: async (services) => (await import("../integrations/wix/catalog-sync.js")).syncWixCatalogue(services),
  },
  {
    name: "wix_order_record",
    run: async (services) => (await import("../orders/wix-record.js")).retryWixOrderRecords(services),
  },
];

export interface CronReport {
  ok: boolean;
  jobs: Record<string, { ok: true; counts: Record<string, number>; durationMs: number } | { ok: false; error: string; durationMs: number }>;
}

/** Runs every job in order; a failure is reported in its entry and logged, the next job still runs. */
export async function runCronJobs(services: Services, jobs: readonly CronJob[] = cronJobs): Promise<CronReport> {
  const report: CronReport = { ok: true, jobs: {} };
  for (const job of jobs) {
    const started = performance.now();
    try {
      const counts = await job.run(services);
      report.jobs[job.name] = { ok: true, counts, durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      report.ok = false;
      const error = `${(err as Error)?.name ?? "Error"}: ${(err as Error)?.message ?? String(err)}`;
      services.log.error("cron job failed", { job: job.name, error });
      report.jobs[job.name] = { ok: false, error, durationMs: Math.round(performance.now() - started) };
    }
  }
  return report;
}
