/**
 * The outbound send ledger. A reply becomes parts, each stored once under its own key
 * (source key + part index; the source is the inbound message id for a reply), then leased
 * (pending -> sending), sent in order, and recorded: sent | failed (retryable or not) |
 * undeliverable. One round trip before the sends (store + lease + the user's window), one after.
 *
 * - 24 h window (from the database clock): outside it no free-form message is attempted; on
 *   WhatsApp the first part goes out as the approved template (WHATSAPP_TEMPLATE_NAME) when one
 *   is configured, every other part is recorded undeliverable with the reason. Meta's own
 *   131047 (window) answer takes the same path.
 * - A retryable failure (throttling, 429/5xx after the inline retries, breaker open) stops the
 *   reply there: the failed part and the parts after it wait for the retry job, in order.
 * - Channel not configured: the parts are stored 'not_configured' and logged, never sent.
 */
import { randomUUID } from "node:crypto";
import { detectLanguage, type Lang } from "../assistant/language.js";
import type { Reply } from "../assistant/types.js";
import { notify } from "../notifications/index.js";
import type { Services } from "../services.js";
import { classifySendError, type SendFailure } from "./graph.js";
import { renderMessengerReply } from "./messenger/render.js";
import { sendMessengerMessage } from "./messenger/send.js";
import { outboundBegin, outboundFinish, type OutboundRow, type SendOutcome, type SendWindow } from "./store.js";
import type { ChannelName, OutboundPart } from "./types.js";
import { renderWhatsAppReply } from "./whatsapp/render.js";
import { sendWhatsAppMessage, whatsappRecipient } from "./whatsapp/send.js";

export interface DeliveryReport {
  /** Parts of the reply (stored once each). */
  parts: number;
  sent: number;
  failed: number;
  undeliverable: number;
  /** Left for the retry job (a retryable failure and the parts after it). */
  pending: number;
  notConfigured: boolean;
}

/** How long a sender holds a part before the retry job may take it over. */
export function outboundLeaseSeconds(services: Services, channel: ChannelName): number {
  const c = services.config[channel];
  return Math.max(60, Math.ceil((c.timeoutMs * (c.retry.attempts + 1) * 2) / 1000) + 30);
}

export const channelLabel = (channel: ChannelName) => (channel === "whatsapp" ? "WhatsApp" : "Messenger");

/** The reply's language: what its text says, else the conversation's, else the shop's. */
export function replyLanguage(services: Services, reply: Pick<Reply, "text">, hint?: string | null): Lang {
  const h = hint?.slice(0, 2);
  return detectLanguage(reply.text) ?? (h === "fr" || h === "en" ? h : services.config.app.defaultLanguage);
}

export function renderReply(
  services: Services,
  channel: ChannelName,
  reply: Reply,
  opts: { lang: Lang; messagingType?: "RESPONSE" | "UPDATE" },
): OutboundPart[] {
  const baseUrl = services.config.app.publicBaseUrl;
  if (channel === "whatsapp") {
    const wa = services.config.whatsapp;
    return renderWhatsAppReply(reply, {
      lang: opts.lang,
      baseUrl,
      template: wa.templateName ? { name: wa.templateName, language: wa.templateLanguage } : null,
    });
  }
  return renderMessengerReply(reply, { lang: opts.lang, baseUrl, ...(opts.messagingType ? { messagingType: opts.messagingType } : {}) });
}

export interface DeliverInput {
  channel: ChannelName;
  userId: string;
  /** Unique per reply: the inbound message id, or the caller's key (e.g. `order-paid:<id>`). */
  sourceKey: string;
  parts: OutboundPart[];
  /** The inbound message whose deferred work this completes. */
  workMessageId?: string;
}

/** Stores the parts once, sends those not sent yet, records the outcomes. */
export async function deliverParts(services: Services, input: DeliverInput): Promise<DeliveryReport> {
  const configured = services.config[input.channel].configured;
  const begun = await outboundBegin(services.store, {
    channel: input.channel,
    userId: input.userId,
    sourceKey: input.sourceKey,
    parts: input.parts,
    configured,
    leaseSeconds: outboundLeaseSeconds(services, input.channel),
    ...(input.workMessageId ? { workMessageId: input.workMessageId } : {}),
  });
  const report: DeliveryReport = { parts: input.parts.length, sent: 0, failed: 0, undeliverable: 0, pending: 0, notConfigured: !configured };
  if (!configured) {
    if (input.parts.length) {
      services.log.info("channel not configured: outbound message stored, not sent", { channel: input.channel, parts: input.parts.length });
    }
    return report;
  }
  const outcomes = await sendRows(
    services,
    begun.rows.map((r) => ({ ...r, channel: input.channel, user_id: input.userId, source_key: input.sourceKey, window: begun })),
  );
  if (outcomes.length) await outboundFinish(services.store, outcomes);
  for (const o of outcomes) {
    if (o.status === "sent") report.sent++;
    else if (o.status === "undeliverable") report.undeliverable++;
    else if (o.status === "pending" || o.retry_seconds !== undefined) report.pending++;
    else report.failed++;
  }
  return report;
}

export interface DeliverReplyInput {
  channel: ChannelName;
  userId: string;
  sourceKey: string;
  reply: Reply;
  workMessageId?: string;
  /** The conversation's language, used when the reply's text does not say. */
  lang?: string | null;
  messagingType?: "RESPONSE" | "UPDATE";
}

/** Renders a Reply for its channel and delivers it through the ledger. */
export function deliverReply(services: Services, input: DeliverReplyInput): Promise<DeliveryReport> {
  const lang = replyLanguage(services, input.reply, input.lang);
  const parts = renderReply(services, input.channel, input.reply, { lang, ...(input.messagingType ? { messagingType: input.messagingType } : {}) });
  return deliverParts(services, {
    channel: input.channel,
    userId: input.userId,
    sourceKey: input.sourceKey,
    parts,
    ...(input.workMessageId ? { workMessageId: input.workMessageId } : {}),
  });
}

/**
 * Sends a message the shop starts (e.g. an order confirmation) to a WhatsApp or Messenger user.
 * `key` makes it idempotent (same key -> stored and sent once); without it every call sends.
 * Outside the 24 h window: the WhatsApp template when configured, else recorded undeliverable.
 * Throws only when the store is unreachable; send failures are in the report (and retried).
 */
export function sendToUser(
  services: Services,
  input: { channel: ChannelName; userId: string; reply: Reply; key?: string; lang?: string | null },
): Promise<DeliveryReport> {
  return deliverReply(services, {
    channel: input.channel,
    userId: input.userId,
    sourceKey: input.key ?? `send:${randomUUID()}`,
    reply: input.reply,
    lang: input.lang ?? null,
    messagingType: "UPDATE",
  });
}

export interface LeasedRow extends OutboundRow {
  channel: ChannelName;
  user_id: string;
  source_key: string;
  window: SendWindow;
}

/**
 * Sends leased rows in the order given (the SQL orders them by source and part). Within one source, a retryable failure releases the parts after
 * it (they keep their order for the retry job). Never throws: every row gets an outcome.
 */
export async function sendRows(services: Services, rows: LeasedRow[]): Promise<SendOutcome[]> {
  const blocked = new Map<string, number>();
  const outcomes: SendOutcome[] = [];
  for (const row of rows) {
    const key = `${row.channel}\u0000${row.source_key}`;
    const wait = blocked.get(key);
    if (wait !== undefined) {
      outcomes.push({ id: row.id, status: "pending", retry_seconds: wait });
      continue;
    }
    const outcome = await sendRow(services, row);
    outcomes.push(outcome);
    if (outcome.status === "failed" && outcome.retry_seconds !== undefined) blocked.set(key, outcome.retry_seconds);
  }
  return outcomes;
}

async function sendRow(services: Services, row: LeasedRow): Promise<SendOutcome> {
  const { channel, window } = row;
  if (!services.config[channel].configured) {
    return { id: row.id, status: "failed", error: `${channelLabel(channel)} is no longer configured` };
  }
  const last = window.last_inbound_at ?? "never";
  if (!window.window_open) {
    if (channel === "whatsapp" && row.fallback) return sendTemplate(services, row);
    return { id: row.id, status: "undeliverable", error: closedWindowReason(services, channel, last, row.part_index) };
  }
  try {
    const id = await send(services, row, row.body);
    return { id: row.id, status: "sent", provider_message_id: id, sent_as: "free_form" };
  } catch (err) {
    const failure = classifySendError(channel, err, row.attempts);
    if (failure.kind === "window") {
      if (channel === "whatsapp" && row.fallback) return sendTemplate(services, row);
      return { id: row.id, status: "undeliverable", error_code: failure.code ?? null, error: `${closedWindowReason(services, channel, last, row.part_index)} (${failure.reason})` };
    }
    return recordFailure(services, row, failure);
  }
}

async function sendTemplate(services: Services, row: LeasedRow): Promise<SendOutcome> {
  try {
    const id = await send(services, row, row.fallback!);
    return { id: row.id, status: "sent", provider_message_id: id, sent_as: "template" };
  } catch (err) {
    const failure = classifySendError(row.channel, err, row.attempts);
    if (failure.kind === "window") return { id: row.id, status: "undeliverable", error_code: failure.code ?? null, error: `template refused: ${failure.reason}` };
    return recordFailure(services, row, failure);
  }
}

function send(services: Services, row: LeasedRow, body: Record<string, unknown>): Promise<string | null> {
  if (row.channel === "whatsapp") return sendWhatsAppMessage(services, whatsappRecipient(row.user_id, row.window.phone), body);
  return sendMessengerMessage(services, row.user_id, body);
}

async function recordFailure(services: Services, row: LeasedRow, failure: SendFailure): Promise<SendOutcome> {
  services.log.warn("channel send failed", { channel: row.channel, kind: failure.kind, code: failure.code, part: row.part_index, attempts: row.attempts });
  switch (failure.kind) {
    case "retry":
      return { id: row.id, status: "failed", error_code: failure.code ?? null, error: failure.reason, retry_seconds: failure.retrySeconds };
    case "undeliverable":
      return { id: row.id, status: "undeliverable", error_code: failure.code ?? null, error: failure.reason };
    case "bsuid":
      return {
        id: row.id,
        status: "undeliverable",
        error_code: failure.code,
        error: `${failure.reason} (no phone number is known for this user, only the business-scoped user id)`,
      };
    case "window": // handled by the callers
    case "give_up":
      if (failure.kind === "give_up" && failure.alert) await alertOwner(services, row.channel, failure.reason);
      return { id: row.id, status: "failed", error_code: failure.code ?? null, error: failure.reason };
    default: {
      const never: never = failure;
      throw new Error(`unhandled send failure ${String(never)}`);
    }
  }
}

function closedWindowReason(services: Services, channel: ChannelName, last: string, partIndex: number): string {
  if (channel === "messenger") {
    return `outside Messenger's 24-hour standard messaging window (last message from the user: ${last}); only tagged messages are allowed after it`;
  }
  return services.config.whatsapp.templateName && partIndex > 0
    ? `outside WhatsApp's 24-hour customer service window (last message from the user: ${last}); only the first part goes out, as the approved template`
    : `outside WhatsApp's 24-hour customer service window (last message from the user: ${last}) and no approved template is configured (set WHATSAPP_TEMPLATE_NAME)`;
}

/** A revoked or expired token needs the owner: an email, once per TTL. */
async function alertOwner(services: Services, channel: ChannelName, reason: string): Promise<void> {
  const label = channelLabel(channel);
  await notify(services, {
    type: "channel_error",
    dedupKey: `channel-token:${channel}`,
    channels: ["email"],
    subject: `${label}: messages cannot be sent`,
    message: `Meta refused the ${label} access token. Replies to customers are recorded but not sent until the token is renewed.`,
    fields: { Error: reason },
  }).catch((err: unknown) => services.log.error("channel alert failed", { channel, error: (err as Error)?.message }));
}
