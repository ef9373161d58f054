/**
 * The webhook acknowledgement's one round trip: claims every message id of a delivery (a
 * duplicate, sequential or concurrent, gets nothing), records the users' 24 h windows and the
 * status callbacks, leaves a 'working' row per claimed message and queues its job for the
 * worker (channel_ingest_queue). Kept apart from inbound.ts so the acknowledgement does not load
 * the code that answers (the assistant, the ledger, notifications).
 */
import { isOwnerPhone } from "../owner/relay.js";
import type { Services } from "../services.js";
import { channelIngest, workRecord, type IngestResult, type WorkRecord } from "./store.js";
import type { ChannelName, InboundAction, InboundItem, StatusItem } from "./types.js";

/** A polite "text only, please" answer at most this often per user (an album is many messages). */
export const POLITE_QUIET_SECONDS = 600;

/** How long an instance holds a message's work before the retry job may take it over. */
export function workLeaseSeconds(services: Services): number {
  return Math.max(120, Math.ceil((services.config.app.requestBudgetMs * 2) / 1000) + 60);
}

/**
 * How long a called worker counts as awake without taking a job: its invocation's life (the
 * request budget) and a margin. An instance that died is replaced after this.
 */
export function wakeSeconds(services: Services): number {
  return Math.ceil(services.config.app.requestBudgetMs / 1000) + 5;
}

/** A claimed message's work, as stored for the worker and the retry job. */
export interface WorkItem {
  channel: ChannelName;
  messageId: string;
  userId: string;
  action: Exclude<InboundAction, "ignore">;
  record: WorkRecord;
}

export interface IngestOutcome {
  claimed: WorkItem[];
  duplicates: number;
  statuses: IngestResult["statuses"];
  /** Jobs queued for the worker (one per claimed message). */
  queued: number;
  /** The worker is asleep: call it (only one acknowledgement of those racing is told so). */
  wake: boolean;
}

/** Claims the delivery's messages, queues their jobs and records its statuses (one round trip; none when empty). */
export async function ingestDelivery(
  services: Services,
  channel: ChannelName,
  messages: InboundItem[],
  statuses: StatusItem[],
): Promise<IngestOutcome> {
  if (!messages.length && !statuses.length) return { claimed: [], duplicates: 0, statuses: { recorded: 0, applied: 0 }, queued: 0, wake: false };
  // The owner's own number (only a channel that knows phone numbers gives one) is recognised
  // here, where the phone is known (the work record keeps no phone).
  messages = messages.map((m) => (isOwnerPhone(services, m.phone) ? { ...m, owner: { contextId: m.contextId ?? null } } : m));
  const result = await channelIngest(services.store, channel, messages, statuses, {
    leaseSeconds: workLeaseSeconds(services),
    politeQuietSeconds: POLITE_QUIET_SECONDS,
    wakeSeconds: wakeSeconds(services),
  });
  const actions = new Map(result.claimed.map((c) => [c.message_id, c.action]));
  const claimed: WorkItem[] = [];
  for (const m of messages) {
    const action = actions.get(m.messageId);
    if (!action) continue;
    actions.delete(m.messageId); // the same id twice in one payload is one message
    claimed.push({ channel, messageId: m.messageId, userId: m.userId, action, record: workRecord(m) });
  }
  return { claimed, duplicates: result.duplicates, statuses: result.statuses, queued: result.queued ?? 0, wake: result.wake ?? false };
}
