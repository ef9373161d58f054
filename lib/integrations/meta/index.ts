/**
 * lib/integrations/meta — the Meta Graph API (WhatsApp Cloud API and Messenger Send API): one
 * client factory over lib/http (client.ts), the error-body readers and the send-failure
 * classifiers (errors.ts), WhatsApp recipients (recipient.ts). Signature checks and webhook
 * parsing stay in lib/channels (they are the channels' inbound side).
 */
export { createMetaClient, metaClient, type MetaClient, type MetaConfig, type WhatsAppRecipient } from "./client.js";
export { classifyMessengerError, classifyWhatsAppError, graphErrorCode, graphErrorSubcode, type SendFailure } from "./errors.js";
export { phoneDigits, whatsappRecipient } from "./recipient.js";
