/** Typed calls to the notification SQL functions (supabase/migrations/*_leads_coupons_notifications.sql). */
import type { Store } from "../store/store.js";

export type NotificationChannel = "email" | "whatsapp";
export type NotificationRowStatus = "sending" | "sent" | "deduped" | "failed" | "skipped_not_configured";

export interface ChannelPlan { channel: NotificationChannel; recipient: string | null; configured: boolean }
export interface BegunNotification { channel: NotificationChannel; id: string; status: "sending" | "deduped" | "skipped_not_configured" }
export interface SendOutcome { id: string; ok: boolean; error?: string; retryable?: boolean; transport?: string }

export interface NotificationContent {
  type: string;
  dedupKey: string;
  subject: string;
  message: string;
  fields: [string, string][];
  replyTo?: string;
}

/** Claims (dedup) and records one notification per channel: one round trip. */
export function notificationBegin(store: Store, content: NotificationContent, channels: ChannelPlan[], ttlSeconds: number, leaseSeconds: number) {
  return store.rpc<BegunNotification[]>("notification_begin", {
    p_type: content.type,
    p_dedup_key: content.dedupKey,
    p_subject: content.subject,
    p_message: content.message,
    p_fields: content.fields,
    p_channels: channels,
    p_ttl_seconds: Math.ceil(ttlSeconds),
    p_lease_seconds: Math.ceil(leaseSeconds),
    p_reply_to: content.replyTo,
  });
}

/** Records send outcomes; a failure releases its claim: one round trip. */
export function notificationFinish(store: Store, outcomes: SendOutcome[]) {
  return store.rpc<number>("notification_finish", { p_results: outcomes });
}

export interface RetryRow {
  id: string;
  type: string;
  dedup_key: string;
  channel: NotificationChannel;
  recipient: string | null;
  reply_to: string | null;
  subject: string;
  message: string;
  fields: [string, string][];
}

export function notificationRetryClaim(store: Store, limit: number, maxAttempts: number, ttlSeconds: number, leaseSeconds: number) {
  return store.rpc<{ claimed: RetryRow[]; superseded: number; exhausted: number }>("notification_retry_claim", {
    p_limit: limit,
    p_max_attempts: maxAttempts,
    p_ttl_seconds: Math.ceil(ttlSeconds),
    p_lease_seconds: Math.ceil(leaseSeconds),
  });
}

export interface NotificationRow {
  id: string;
  type: string;
  channel: NotificationChannel;
  recipient: string | null;
  status: NotificationRowStatus;
  transport: string | null;
  error: string | null;
  attempts: number;
  retryable: boolean;
}

/** Every notification recorded under a dedup key, oldest first. */
export function notificationList(store: Store, dedupKey: string) {
  return store.rpc<NotificationRow[]>("notification_list", { p_dedup_key: dedupKey });
}
