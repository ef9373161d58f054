/**
 * Sending to a channel user by channel name (the assistant's replies, the order confirmation):
 * looks the adapter up in the registry and hands it the message. The ledger itself (store,
 * lease, window, send, record) is ledger.ts.
 */
import { randomUUID } from "node:crypto";
import type { Reply } from "../assistant/types.js";
import type { Services } from "../services.js";
import type { DeliveryReport, SenderKind } from "./adapter.js";
import { deliverParts as deliverLedgerParts } from "./ledger.js";
import { ledgerAdapter } from "./registry.js";
import type { ChannelName, OutboundPart } from "./types.js";

export type { DeliveryReport } from "./adapter.js";
export { replyLanguage } from "./ledger.js";

/** How long a sender holds a part before the retry job may take it over. */
export const outboundLeaseSeconds = (services: Services, channel: ChannelName): number => ledgerAdapter(channel).leaseSeconds(services);

export interface DeliverInput {
  channel: ChannelName;
  userId: string;
  /** Unique per reply: the inbound message id, or the caller's key (e.g. `order-paid:<id>`). */
  sourceKey: string;
  parts: OutboundPart[];
  /** The inbound message whose deferred work this completes. */
  workMessageId?: string;
}

/** Stores already rendered parts once, sends those not sent yet, records the outcomes. */
export function deliverParts(services: Services, input: DeliverInput): Promise<DeliveryReport> {
  const { channel, ...rest } = input;
  return deliverLedgerParts(services, ledgerAdapter(channel), rest);
}

export interface DeliverReplyInput {
  channel: ChannelName;
  userId: string;
  sourceKey: string;
  reply: Reply;
  workMessageId?: string;
  /** The conversation's language, used when the reply's text does not say. */
  lang?: string | null;
  purpose?: "reply" | "update";
  sender?: SenderKind;
}

/** Renders a Reply for its channel and delivers it (the assistant speaks unless `sender` says). */
export function deliverReply(services: Services, input: DeliverReplyInput): Promise<DeliveryReport> {
  return ledgerAdapter(input.channel).send(services, {
    userId: input.userId,
    sourceKey: input.sourceKey,
    reply: input.reply,
    sender: input.sender ?? "assistant",
    lang: input.lang ?? null,
    ...(input.purpose ? { purpose: input.purpose } : {}),
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
    purpose: "update",
  });
}
