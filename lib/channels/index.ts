/**
 * lib/channels — the channels (WhatsApp, Messenger, the web widget), one adapter each
 * (adapter.ts: the shape; registry.ts: the one map; whatsapp/, messenger/, web/ adapter.ts; traits.ts:
 * what each channel is, as data, for code that does not send), reply windows (window.ts),
 * signed webhooks (signature.ts, verify-challenge.ts, webhook.ts), inbound normalisation per
 * platform (whatsapp/parse.ts, messenger/parse.ts), the claim-then-answer flow (inbound.ts),
 * rendering a Reply per platform (whatsapp/render.ts, messenger/render.ts), the outbound send ledger (ledger.ts; by channel
 * name: outbound.ts), the cron retry step (retry.ts) and the order-paid confirmation
 * (order-paid.ts). Meta Graph calls and error mapping are lib/integrations/meta.
 * State lives in supabase/migrations/*_channels.sql.
 */
export type { ChannelName, InboundItem, OutboundPart, StatusItem } from "./types.js";
export { handleMetaWebhook, type WebhookAck } from "./webhook.js";
export { verifyChallenge } from "./verify-challenge.js";
export { isValidMetaSignature, assertMetaSignature, signMetaBody } from "./signature.js";
export { sendToUser, deliverReply, deliverParts, type DeliveryReport } from "./outbound.js";
export { channelAdapters, channelAdapter, ledgerAdapter, channelLabel, replyWindow, sendToConversation, type ConversationRef } from "./registry.js";
export { CHANNEL_TRAITS, channelTraits, type ChannelTraits } from "./traits.js";
export type { ChannelAdapter, LedgerAdapter, OutboundMessage, SenderKind, WindowAllowance, WindowQuery, ParsedDelivery, RenderOptions } from "./adapter.js";
export { webMessageStore, type StoredWebMessage } from "./web/adapter.js";
export { retryChannelWork, CHANNEL_MAX_ATTEMPTS } from "./retry.js";
export { sendOrderPaid } from "./order-paid.js";
export { splitText } from "./split-text.js";
export { outboundList, inboundGet, channelUserGet, type StoredOutbound, type StoredInbound } from "./store.js";
