/**
 * The channel-agnostic shapes of a chat turn. Every channel (web, WhatsApp, Messenger) turns
 * its inbound payload into an InboundMessage and renders the Reply its own way.
 */
export type Channel = "web" | "whatsapp" | "messenger";

export interface InboundMessage {
  channel: Channel;
  /** Web: the session id; WhatsApp: the BSUID or wa_id; Messenger: the PSID. */
  userId: string;
  /** Unique per channel (web: generated; WhatsApp wamid; Messenger mid). */
  messageId: string;
  /** What the shopper typed (may be empty when a button was pressed). */
  text: string;
  /** Payload of a button the assistant offered (e.g. "buy:prod_123"), when one was pressed. */
  payload?: string;
  /** Display name when the channel gives one. */
  userName?: string;
  /** The shopper's language if the channel knows it ("fr", "en"). */
  language?: string;
}

export interface ReplyProduct {
  id: string;
  name: string;
  price: string;
  originalPrice: string | null;
  currency: string;
  imageUrl: string | null;
  url: string | null;
  inStock: boolean;
}

export interface ReplyButton {
  /** Shown to the shopper (≤ 20 characters for WhatsApp; channels truncate if needed). */
  title: string;
  /** Sent back as InboundMessage.payload when pressed. */
  payload: string;
}

export interface ReplyLink {
  title: string;
  url: string;
  kind: "checkout" | "product" | "info";
}

export interface Reply {
  text: string;
  products: ReplyProduct[];
  buttons: ReplyButton[];
  links: ReplyLink[];
  /** The conversation is (now) with a human: the bot stays silent until released. */
  handoff: boolean;
  /**
   * A coupon offer made in this reply (never a code): the shopper redeems it with
   * `POST /api/coupon {offerId}` or by pressing the `redeem:<offerId>` button.
   */
  coupon?: ReplyCoupon;
}

export interface ReplyCoupon {
  offerId: string;
  type: "PERCENTAGE" | "FIXED_AMOUNT" | "FREE_SHIPPING";
  /** Percent or amount in the shop currency (0 for free shipping). */
  value: number;
  expiresAt: string;
}
