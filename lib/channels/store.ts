/** Typed helpers over the channel SQL functions (supabase/migrations/*_channels.sql). */
import type { Store } from "../store/store.js";
import type { ChannelName, InboundAction, InboundItem, OutboundPart, StatusItem } from "./types.js";

export interface IngestResult {
  claimed: { message_id: string; action: Exclude<InboundAction, "ignore"> }[];
  duplicates: number;
  statuses: { recorded: number; applied: number };
  /** Jobs queued for the worker (channel_job), one per claimed message. */
  queued: number;
  /** The worker was asleep: this acknowledgement must call it (channel_worker). */
  wake: boolean;
}

/** Claims the delivery's message ids, records users, windows and statuses, queues the claimed messages' jobs: one round trip. */
export function channelIngest(
  store: Store,
  channel: ChannelName,
  messages: InboundItem[],
  statuses: StatusItem[],
  opts: { leaseSeconds: number; politeQuietSeconds: number; wakeSeconds: number },
): Promise<IngestResult> {
  return store.rpc<IngestResult>("channel_ingest_queue", {
    p_channel: channel,
    p_messages: messages.map((m) => ({
      message_id: m.messageId,
      user_id: m.userId,
      phone: m.phone,
      name: m.name,
      action: m.action,
      opens_window: m.opensWindow,
      sent_at: m.sentAt,
      message: workRecord(m),
    })),
    p_statuses: statuses.map((s) => ({ id: s.id, status: s.status, recipient_id: s.recipientId, errors: s.errors, at: s.at })),
    p_lease_seconds: opts.leaseSeconds,
    p_polite_quiet_seconds: opts.politeQuietSeconds,
    p_wake_seconds: opts.wakeSeconds,
  });
}

/** What the retry job needs to redo an inbound message's work (no phone number). */
export interface WorkRecord {
  type: string;
  polite?: InboundItem["polite"];
  inbound: InboundItem["inbound"];
  /** From the owner's own phone (ADMIN_PHONE): relayed to a shopper, never answered by the assistant. */
  owner?: { contextId: string | null };
}

export function workRecord(m: InboundItem): WorkRecord {
  return { type: m.type, ...(m.polite ? { polite: m.polite } : {}), inbound: m.inbound, ...(m.owner ? { owner: m.owner } : {}) };
}

export interface SendWindow {
  phone: string | null;
  last_inbound_at: string | null;
  window_open: boolean;
  now: string;
}

export interface OutboundRow {
  id: number;
  part_index: number;
  kind: string;
  body: Record<string, unknown>;
  fallback: Record<string, unknown> | null;
  attempts: number;
}

export function outboundBegin(
  store: Store,
  input: { channel: ChannelName; userId: string; sourceKey: string; parts: OutboundPart[]; configured: boolean; leaseSeconds: number; workMessageId?: string },
): Promise<SendWindow & { rows: OutboundRow[] }> {
  return store.rpc("channel_outbound_begin", {
    p_channel: input.channel,
    p_user_id: input.userId,
    p_source_key: input.sourceKey,
    p_parts: input.parts.map((p) => ({ kind: p.kind, body: p.body, fallback: p.fallback ?? null })),
    p_configured: input.configured,
    p_lease_seconds: input.leaseSeconds,
    p_work_message_id: input.workMessageId,
  });
}

export interface SendOutcome {
  id: number;
  status: "sent" | "failed" | "undeliverable" | "pending";
  provider_message_id?: string | null;
  sent_as?: "free_form" | "template";
  error_code?: string | null;
  error?: string;
  /** Set for a retryable failure (or a released part): when to try again. */
  retry_seconds?: number;
}

export function outboundFinish(store: Store, results: SendOutcome[]): Promise<number> {
  return store.rpc<number>("channel_outbound_finish", { p_results: results });
}

export function workFail(store: Store, channel: ChannelName, messageId: string, error: string, retrySeconds: number): Promise<number> {
  return store.rpc<number>("channel_work_fail", { p_channel: channel, p_message_id: messageId, p_error: error, p_retry_seconds: retrySeconds });
}

export interface RetryOutboundRow extends OutboundRow, SendWindow {
  channel: ChannelName;
  user_id: string;
  source_key: string;
}

export interface RetryWorkRow {
  channel: ChannelName;
  message_id: string;
  user_id: string;
  action: InboundAction;
  message: WorkRecord;
  attempts: number;
}

export function retryClaim(
  store: Store,
  opts: { limit: number; maxAttempts: number; outboundLeaseSeconds: number; workLeaseSeconds: number },
): Promise<{ outbound: RetryOutboundRow[]; work: RetryWorkRow[]; exhausted: { outbound: number; work: number } }> {
  return store.rpc("channel_retry_claim", {
    p_limit: opts.limit,
    p_max_attempts: opts.maxAttempts,
    p_outbound_lease_seconds: opts.outboundLeaseSeconds,
    p_work_lease_seconds: opts.workLeaseSeconds,
  });
}

/** A stored outbound message (channel_outbound_json). */
export interface StoredOutbound {
  id: number;
  channel: ChannelName;
  user_id: string;
  source_key: string;
  part_index: number;
  kind: string;
  body: Record<string, unknown>;
  fallback: Record<string, unknown> | null;
  status: "pending" | "sending" | "sent" | "failed" | "undeliverable" | "not_configured";
  retryable: boolean;
  attempts: number;
  next_attempt_at: string | null;
  provider_message_id: string | null;
  sent_as: "free_form" | "template" | null;
  error_code: string | null;
  last_error: string | null;
  delivery_status: "sent" | "failed" | "delivered" | "read" | null;
  delivery_error: unknown;
  created_at: string;
  sent_at: string | null;
}

export function outboundList(store: Store, channel: ChannelName, filter: { userId?: string; sourceKey?: string } = {}): Promise<StoredOutbound[]> {
  return store.rpc<StoredOutbound[]>("channel_outbound_list", { p_channel: channel, p_user_id: filter.userId, p_source_key: filter.sourceKey });
}

export interface StoredInbound {
  channel: ChannelName;
  message_id: string;
  user_id: string;
  action: InboundAction;
  message: WorkRecord;
  status: "working" | "done" | "failed" | "abandoned";
  note: string | null;
  attempts: number;
  last_error: string | null;
}

export function inboundGet(store: Store, channel: ChannelName, messageId: string): Promise<StoredInbound | null> {
  return store.rpc<StoredInbound | null>("channel_inbound_get", { p_channel: channel, p_message_id: messageId });
}

export function channelUserGet(
  store: Store,
  channel: ChannelName,
  userId: string,
): Promise<(SendWindow & { user_id: string; name: string | null; polite_at: string | null }) | null> {
  return store.rpc("channel_user_get", { p_channel: channel, p_user_id: userId });
}

export function channelCleanup(store: Store): Promise<Record<string, number>> {
  return store.rpc<Record<string, number>>("channel_cleanup");
}

/** Jobs taken from the queue (channel_job_take): each message's work, its lease extended. */
export interface JobTake {
  work: { channel: ChannelName; message_id: string; user_id: string; action: Exclude<InboundAction, "ignore">; message: WorkRecord }[];
  /** Jobs removed from the queue; 0 when nothing is left that another worker does not hold. */
  taken: number;
  /** Taken jobs whose message no longer needed this worker (answered, or the retry job's). */
  dropped: number;
  /** Nothing was left: the worker is marked asleep (the next acknowledgement calls one). */
  asleep: boolean;
}

export function jobTake(store: Store, limit: number, opts: { workLeaseSeconds: number; wakeSeconds: number }): Promise<JobTake> {
  return store.rpc<JobTake>("channel_job_take", { p_limit: limit, p_work_lease_seconds: opts.workLeaseSeconds, p_wake_seconds: opts.wakeSeconds });
}
