/**
 * The outbound send ledger of the Meta channels. A reply becomes parts, each stored once under
 * its own key (source key + part index; the source is the inbound message id for a reply), then
 * leased (pending -> sending), sent in order, and recorded: sent | failed (retryable or not) |
 * undeliverable. One round trip before the sends (store + lease + the user's window), one after.
 * The channel's adapter (passed in, never looked up by name) says how to send a part, whether
 * the user's window admits it, and what a failure means.
 *
 * - Window (from the database clock): the adapter admits a part free form, as its template
 *   (WhatsApp, first part, when WHATSAPP_TEMPLATE_NAME is set), or not at all (recorded
 *   undeliverable with the reason, and one log line). Meta's own window answer (131047,
 *   10/2018278) takes the same path.
 * - A retryable failure (throttling, 429/5xx after the inline retries, breaker open) stops the
 *   reply there: the failed part and the parts after it wait for the retry job, in order.
 * - Channel not configured: the parts are stored 'not_configured' and logged, never sent.
 */
import { detectLanguage, type Lang } from "../assistant/language.js";
import type { Reply } from "../assistant/types.js";
import type { SendFailure } from "../integrations/meta/index.js";
import { notify } from "../notifications/index.js";
import type { Services } from "../services.js";
import type { DeliveryReport, LedgerAdapter, OutboundMessage } from "./adapter.js";
import { outboundBegin, outboundFinish, type OutboundRow, type SendOutcome, type SendWindow } from "./store.js";
import type { ChannelName, OutboundPart } from "./types.js";

/** The reply's language: what its text says, else the conversation's, else the shop's. */
export function replyLanguage(services: Services, reply: Pick<Reply, "text">, hint?: string | null): Lang {
  const h = hint?.slice(0, 2);
  return detectLanguage(reply.text) ?? (h === "fr" || h === "en" ? h : services.config.app.defaultLanguage);
}

/** Lease length for a Meta channel's sends: every inline attempt twice, plus slack. */
export function metaLeaseSeconds(c: { timeoutMs: number; retry: { attempts: number } }): number {
  return Math.max(60, Math.ceil((c.timeoutMs * (c.retry.attempts + 1) * 2) / 1000) + 30);
}

export interface DeliverPartsInput {
  userId: string;
  sourceKey: string;
  parts: OutboundPart[];
  workMessageId?: string;
}

/** Stores the parts once, sends those not sent yet, records the outcomes. */
export async function deliverParts(services: Services, adapter: LedgerAdapter, input: DeliverPartsInput): Promise<DeliveryReport> {
  const configured = adapter.configured(services);
  const begun = await outboundBegin(services.store, {
    channel: adapter.name,
    userId: input.userId,
    sourceKey: input.sourceKey,
    parts: input.parts,
    configured,
    leaseSeconds: adapter.leaseSeconds(services),
    ...(input.workMessageId ? { workMessageId: input.workMessageId } : {}),
  });
  const report: DeliveryReport = { parts: input.parts.length, sent: 0, failed: 0, undeliverable: 0, pending: 0, notConfigured: !configured };
  if (!configured) {
    if (input.parts.length) {
      services.log.info("channel not configured: outbound message stored, not sent", { channel: adapter.name, parts: input.parts.length });
    }
    return report;
  }
  const outcomes = await sendRows(
    services,
    begun.rows.map((r) => ({ ...r, channel: adapter.name, user_id: input.userId, source_key: input.sourceKey, window: begun })),
    () => adapter,
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

/** Renders a Reply for the adapter's channel and delivers it through the ledger. */
export function deliverMessage(services: Services, adapter: LedgerAdapter, message: OutboundMessage): Promise<DeliveryReport> {
  const lang = replyLanguage(services, message.reply, message.lang);
  const parts = adapter.render(services, message.reply, { lang, sender: message.sender, ...(message.purpose ? { purpose: message.purpose } : {}) });
  return deliverParts(services, adapter, {
    userId: message.userId,
    sourceKey: message.sourceKey,
    parts,
    ...(message.workMessageId ? { workMessageId: message.workMessageId } : {}),
  });
}

export interface LeasedRow extends OutboundRow {
  channel: ChannelName;
  user_id: string;
  source_key: string;
  window: SendWindow;
}

/**
 * Sends leased rows in the order given (the SQL orders them by source and part). Within one
 * source, a retryable failure releases the parts after it (they keep their order for the retry
 * job). Never throws: every row gets an outcome.
 */
export async function sendRows(services: Services, rows: LeasedRow[], adapterOf: (channel: ChannelName) => LedgerAdapter): Promise<SendOutcome[]> {
  const blocked = new Map<string, number>();
  const outcomes: SendOutcome[] = [];
  for (const row of rows) {
    const key = `${row.channel}\u0000${row.source_key}`;
    const wait = blocked.get(key);
    if (wait !== undefined) {
      outcomes.push({ id: row.id, status: "pending", retry_seconds: wait });
      continue;
    }
    const outcome = await sendRow(services, adapterOf(row.channel), row);
    outcomes.push(outcome);
    if (outcome.status === "failed" && outcome.retry_seconds !== undefined) blocked.set(key, outcome.retry_seconds);
  }
  return outcomes;
}

async function sendRow(services: Services, adapter: LedgerAdapter, row: LeasedRow): Promise<SendOutcome> {
  const { window } = row;
  if (!adapter.configured(services)) {
    return { id: row.id, status: "failed", error: `${adapter.label} is no longer configured` };
  }
  const last = window.last_inbound_at ?? "never";
  const verdict = adapter.admit(services, row, window);
  if (verdict === "template") return sendTemplate(services, adapter, row);
  if (verdict === "closed") return windowClosed(services, adapter, row, { error: adapter.closedReason(services, last, row.part_index) });
  try {
    const id = await adapter.transmit(services, { userId: row.user_id, phone: window.phone }, row.body);
    return { id: row.id, status: "sent", provider_message_id: id, sent_as: "free_form" };
  } catch (err) {
    const failure = adapter.classifyError(err, row.attempts);
    if (failure.kind === "window") {
      if (row.fallback) return sendTemplate(services, adapter, row);
      return windowClosed(services, adapter, row, {
        code: failure.code ?? null,
        error: `${adapter.closedReason(services, last, row.part_index)} (${failure.reason})`,
      });
    }
    return recordFailure(services, adapter, row, failure);
  }
}

/** A part not sent because the window is closed: recorded undeliverable, and one log line. */
function windowClosed(services: Services, adapter: LedgerAdapter, row: LeasedRow, e: { code?: string | null; error: string }): SendOutcome {
  services.log.info("channel reply not sent: the reply window is closed", { channel: adapter.name, part: row.part_index, code: e.code ?? undefined });
  return { id: row.id, status: "undeliverable", error_code: e.code ?? null, error: e.error };
}

async function sendTemplate(services: Services, adapter: LedgerAdapter, row: LeasedRow): Promise<SendOutcome> {
  try {
    const id = await adapter.transmit(services, { userId: row.user_id, phone: row.window.phone }, row.fallback!);
    return { id: row.id, status: "sent", provider_message_id: id, sent_as: "template" };
  } catch (err) {
    const failure = adapter.classifyError(err, row.attempts);
    if (failure.kind === "window") return windowClosed(services, adapter, row, { code: failure.code ?? null, error: `template refused: ${failure.reason}` });
    return recordFailure(services, adapter, row, failure);
  }
}

async function recordFailure(services: Services, adapter: LedgerAdapter, row: LeasedRow, failure: SendFailure): Promise<SendOutcome> {
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
      if (failure.kind === "give_up" && failure.alert) await alertOwner(services, adapter, failure.reason);
      return { id: row.id, status: "failed", error_code: failure.code ?? null, error: failure.reason };
    default: {
      const never: never = failure;
      throw new Error(`unhandled send failure ${String(never)}`);
    }
  }
}

/** A revoked or expired token needs the owner: an email, once per TTL. */
async function alertOwner(services: Services, adapter: LedgerAdapter, reason: string): Promise<void> {
  const { label, name } = adapter;
  await notify(services, {
    type: "channel_error",
    dedupKey: `channel-token:${name}`,
    channels: ["email"],
    subject: `${label}: messages cannot be sent`,
    message: `Meta refused the ${label} access token. Replies to customers are recorded but not sent until the token is renewed.`,
    fields: { Error: reason },
  }).catch((err: unknown) => services.log.error("channel alert failed", { channel: name, error: (err as Error)?.message }));
}
