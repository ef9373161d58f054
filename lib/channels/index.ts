/**
 * lib/channels — WhatsApp and Messenger: signed webhooks (signature.ts, verify-challenge.ts,
 * webhook.ts), inbound normalisation per platform (whatsapp/parse.ts, messenger/parse.ts), the
 * claim-then-answer flow (inbound.ts), rendering a Reply per platform (whatsapp/render.ts,
 * messenger/render.ts), the outbound send ledger with the 24 h window (outbound.ts), Meta error
 * mapping (graph.ts), the cron retry step (retry.ts) and the order-paid confirmation (order-paid.ts).
 * State lives in supabase/migrations/*_channels.sql.
 */
export type { ChannelName, InboundItem, OutboundPart, StatusItem } from "./types.js";
export { handleMetaWebhook, type WebhookAck } from "./webhook.js";
export { verifyChallenge } from "./verify-challenge.js";
export { isValidMetaSignature, assertMetaSignature, signMetaBody } from "./signature.js";
export { sendToUser, deliverReply, deliverParts, renderReply, type DeliveryReport } from "./outbound.js";
export { retryChannelWork, CHANNEL_MAX_ATTEMPTS } from "./retry.js";
export { sendOrderPaid } from "./order-paid.js";
export { splitText } from "./split-text.js";
export { outboundList, inboundGet, channelUserGet, type StoredOutbound, type StoredInbound } from "./store.js";
