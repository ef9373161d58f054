/**
 * The shape every channel has (WhatsApp, Messenger, the web widget): one adapter per channel,
 * registered in one map (registry.ts). Nothing outside the adapters branches on a channel's
 * name; callers ask the adapter.
 *
 * - `parse`: a verified webhook body -> normalised messages and statuses (null for the web
 *   widget, whose messages arrive through POST /api/chat).
 * - `render`: a Reply -> the channel's message parts.
 * - `send`: delivers a Reply to a user (Meta: through the outbound ledger, with the reply
 *   window; web: stored as a message of the conversation for the widget to fetch).
 * - `classifyError`: a failed send -> what the ledger does about it.
 * - `window`: what a sender (the assistant or the owner) may send now, and until when (the
 *   rules themselves are pure functions in window.ts).
 */
import type { Lang } from "../assistant/language.js";
import type { Channel, Reply } from "../assistant/types.js";
import type { SendFailure } from "../integrations/meta/index.js";
import type { Services } from "../services.js";
import type { OutboundRow, SendWindow } from "./store.js";
import type { ChannelTraits } from "./traits.js";
import type { ChannelName, InboundItem, OutboundPart, StatusItem } from "./types.js";

export type { Channel };

/** Who speaks: the shop's assistant, or the owner replying in person (the inbox). */
export type SenderKind = "assistant" | "owner";

/**
 * What may be sent now. `until` is when this allowance ends (ISO, database clock), null when it
 * does not end (the web widget; a template, which Meta accepts at any time).
 *   free_text — any message;
 *   template  — only the approved WhatsApp template (WHATSAPP_TEMPLATE_NAME);
 *   tag       — only a message tagged `tag` (Messenger HUMAN_AGENT: a person's reply, 7 days);
 *   nothing   — the window is closed for this sender; `reason` says why (no personal data).
 */
export type WindowAllowance =
  | { allowed: "free_text"; until: string | null }
  | { allowed: "template"; template: string; until: null }
  | { allowed: "tag"; tag: "HUMAN_AGENT"; until: string }
  | { allowed: "nothing"; until: null; reason: string };

export interface WindowQuery {
  /** The user's last message to the business (ISO), null when never. */
  lastInboundAt: string | null;
  /** The database clock's now (ISO). */
  now: string;
  sender: SenderKind;
}

/** A verified webhook body, normalised. */
export interface ParsedDelivery {
  messages: InboundItem[];
  statuses: StatusItem[];
  /** Parts not understood (logged as such). */
  skipped: number;
  /** Parts understood and deliberately ignored, by reason (logged at info level). */
  ignored: Record<string, number>;
}

export interface RenderOptions {
  lang: Lang;
  /**
   * reply: an answer to the user's message; update: a message the shop starts (an order
   * confirmation); human_agent: a person's reply after the 24 h window (Messenger tag).
   */
  purpose?: "reply" | "update" | "human_agent";
  /** Who speaks (the owner's reply outside WhatsApp's window uses WHATSAPP_OWNER_REPLY_TEMPLATE). */
  sender?: SenderKind;
}

/** One message to deliver to one user of a channel. */
export interface OutboundMessage {
  /** The channel's user id: wa_id / BSUID, PSID, or the web session id (the conversation's user_key). */
  userId: string;
  /** Unique per message: the same key is stored and sent once (e.g. the inbound message id, `order-paid:<id>`). */
  sourceKey: string;
  reply: Reply;
  sender: SenderKind;
  /** The conversation's language, used when the reply's text does not say. */
  lang?: string | null;
  purpose?: RenderOptions["purpose"];
  /** The inbound message whose deferred work this completes (Meta channels). */
  workMessageId?: string;
}

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

/** An adapter is its channel's traits (traits.ts: label, prompt place, ...) and the code that sends. */
export interface ChannelAdapter extends ChannelTraits {
  configured(services: Services): boolean;
  parse: ((services: Services, payload: unknown) => ParsedDelivery) | null;
  render(services: Services, reply: Reply, opts: RenderOptions): OutboundPart[];
  send(services: Services, message: OutboundMessage): Promise<DeliveryReport>;
  classifyError(err: unknown, attempts?: number): SendFailure;
  /**
   * What `sender` may send to the channel user `userId` now, and until when (read from the
   * database: the user's last message and the database clock).
   */
  window(services: Services, at: { userId: string; sender: SenderKind }): Promise<WindowAllowance>;
}

/** What the ledger decides for one leased part, given the user's window. */
export type PartVerdict = "free_form" | "template" | "closed";

/** A Meta channel: its sends go through the outbound ledger (outbound.ts). */
export interface LedgerAdapter extends ChannelAdapter {
  readonly name: ChannelName;
  parse: (services: Services, payload: unknown) => ParsedDelivery;
  /** The App Secret webhook signatures are checked with, when there is one. */
  appSecret(services: Services): string | undefined;
  /** One Graph call for one stored part; resolves to Meta's message id. */
  transmit(services: Services, to: { userId: string; phone: string | null }, body: Record<string, unknown>): Promise<string | null>;
  /** Whether a leased part may go out now (free form, as its template, or not at all). */
  admit(services: Services, row: Pick<OutboundRow, "body" | "fallback">, window: SendWindow): PartVerdict;
  /** Why a part was not sent because the window is closed (stored on the row; no personal data). */
  closedReason(services: Services, lastInboundAt: string, partIndex: number): string;
  /** How long a sender holds a part before the retry job may take it over. */
  leaseSeconds(services: Services): number;
}
