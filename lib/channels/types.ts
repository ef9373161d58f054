/** Shapes shared by the WhatsApp and Messenger modules. */
import type { InboundMessage } from "../assistant/types.js";

export type ChannelName = "whatsapp" | "messenger";

/** What to do with an inbound message (decided per message type when parsing). */
export type InboundAction = "turn" | "polite" | "ignore";

/** Which fixed answer a message gets when the assistant cannot read it. */
export type PoliteKind = "media" | "location" | "unsupported";

/** One inbound message from a webhook, normalised. */
export interface InboundItem {
  channel: ChannelName;
  messageId: string;
  /** WhatsApp: the BSUID (`user_id`) when present, else wa_id; Messenger: the PSID. */
  userId: string;
  /** WhatsApp: the phone number (digits) when Meta gives it. */
  phone: string | null;
  name: string | null;
  /** When the user sent it (ISO), if the platform says. */
  sentAt: string | null;
  /** The platform's message type ("text", "interactive", "image", "postback", ...). */
  type: string;
  action: InboundAction;
  /** Whether it opens (or extends) the 24 h window. */
  opensWindow: boolean;
  polite?: PoliteKind;
  /** WhatsApp: the id (wamid) of the message this one quotes (`context.id`), if any. */
  contextId?: string;
  /** Sent from the owner's own phone (ADMIN_PHONE): relayed, never answered by the assistant. */
  owner?: { contextId: string | null };
  /** The assistant's input (for action "turn"; kept for the record otherwise). */
  inbound: InboundMessage;
}

/** A delivery status callback (WhatsApp `statuses[]`). */
export interface StatusItem {
  id: string;
  status: "sent" | "delivered" | "read" | "failed";
  recipientId: string | null;
  errors: unknown[] | null;
  at: string | null;
}

/** One message to send, as stored in the ledger (the recipient is added at send time). */
export interface OutboundPart {
  kind: string;
  /** WhatsApp: the /messages body without messaging_product/to/recipient; Messenger: {messaging_type, message}. */
  body: Record<string, unknown>;
  /** WhatsApp, first part only: the approved template to send when the window is closed. */
  fallback?: Record<string, unknown> | null;
}
