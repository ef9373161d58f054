/**
 * The worker side of the webhook queue: takes queued jobs (channel_job_take: FOR UPDATE SKIP
 * LOCKED, so two workers never take the same job) and answers each message with `runWork`, in
 * queue order, a few jobs per round trip, until the queue is empty or the time budget is spent.
 *
 * Only the acknowledgement that finds the worker asleep calls it (channel_worker in SQL): a loop
 * runs until channel_job_take finds the queue empty and marks the worker asleep.
 * At most `WORKER_CONCURRENCY` drain loops run per instance; a call that finds them all busy
 * only marks the instance "poked", and a loop that finds the queue empty stops only if nobody
 * poked it since it last looked: a job queued before a poke is always taken by a running loop.
 * JavaScript runs one callback at a time, so this bookkeeping needs no lock.
 */
import type { Services } from "../services.js";
import { runWork } from "./inbound.js";
import { wakeSeconds, workLeaseSeconds } from "./ingest.js";
import { jobTake } from "./store.js";

/** Jobs taken per round trip (answered one after the other, in queue order). */
export const JOB_BATCH = 5;
/** Nothing taken but not asleep (a job another worker is taking, or one just queued): look again after this. */
const EMPTY_RETRY_MS = 20;

export interface DrainReport {
  /** Messages answered (or whose failure was recorded for the retry job). */
  done: number;
  failed: number;
  /** Jobs whose message no longer needed this worker. */
  dropped: number;
  /** True when the time budget ran out with jobs possibly left (handed to a new worker call). */
  outOfTime: boolean;
}

interface DrainState {
  running: number;
  pokes: number;
}

const states = new WeakMap<Services, DrainState>();
const stateOf = (services: Services) => {
  let s = states.get(services);
  if (!s) states.set(services, (s = { running: 0, pokes: 0 }));
  return s;
};

/**
 * Starts a drain loop when fewer than `concurrency` run on this instance (resolves with its
 * report), else pokes the running loops and resolves with null.
 */
export function requestDrain(
  services: Services,
  opts: { concurrency?: number; budgetMs?: number; handOff?: (services: Services) => Promise<unknown> } = {},
): Promise<DrainReport | null> {
  const state = stateOf(services);
  state.pokes++;
  if (state.running >= (opts.concurrency ?? services.config.app.worker.concurrency)) return Promise.resolve(null);
  state.running++;
  return drainLoop(services, state, opts.budgetMs ?? services.config.app.requestBudgetMs)
    .finally(() => {
      state.running--;
    })
    .then(async (report) => {
      // Out of time with jobs possibly left: hand them to a fresh invocation (a new worker call,
      // or without a worker another loop here), so a backlog never waits for the next delivery.
      // The caller passes the hand-off (dispatchQueued), so this module does not import dispatch.
      if (report.outOfTime && opts.handOff) await opts.handOff(services);
      return report;
    });
}

async function drainLoop(services: Services, state: DrainState, budgetMs: number): Promise<DrainReport> {
  const report: DrainReport = { done: 0, failed: 0, dropped: 0, outOfTime: false };
  const deadline = Date.now() + budgetMs;
  const take = { workLeaseSeconds: workLeaseSeconds(services), wakeSeconds: wakeSeconds(services) };
  for (;;) {
    const seen = state.pokes;
    const batch = await jobTake(services.store, JOB_BATCH, take);
    report.dropped += batch.dropped;
    for (const w of batch.work) {
      const ok = await runWork(services, { channel: w.channel, messageId: w.message_id, userId: w.user_id, action: w.action, record: w.message });
      if (ok) report.done++;
      else report.failed++;
    }
    // Stop only once the queue said "asleep": a job queued while this loop looked (its
    // acknowledgement saw the worker awake and called nobody) is taken on the next turn.
    if (batch.taken === 0 && batch.asleep && state.pokes === seen) return report;
    if (Date.now() >= deadline) {
      report.outOfTime = true;
      return report;
    }
    if (batch.taken === 0 && !batch.asleep) await new Promise((r) => setTimeout(r, EMPTY_RETRY_MS));
  }
}

/** The cron step: drains what the workers left (a lost call, a budget that ran out). */
export async function drainLeftovers(services: Services): Promise<Record<string, number>> {
  const r = await requestDrain(services, { concurrency: Number.MAX_SAFE_INTEGER });
  return { jobs_done: r?.done ?? 0, jobs_failed: r?.failed ?? 0, jobs_dropped: r?.dropped ?? 0, jobs_out_of_time: r?.outOfTime ? 1 : 0 };
}
