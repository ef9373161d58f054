/**
 * The WhatsApp adapter: Cloud API webhooks (parse.ts), a Reply as WhatsApp messages (render.ts),
 * sends through the Meta integration and the outbound ledger, and the 24 h customer service
 * window (then only the approved template, for the assistant and the owner alike).
 */
import { classifyWhatsAppError, metaClient, whatsappRecipient } from "../../integrations/meta/index.js";
import type { Services } from "../../services.js";
import type { LedgerAdapter, SenderKind } from "../adapter.js";
import { deliverMessage, metaLeaseSeconds } from "../ledger.js";
import { windowQuery } from "../window-query.js";
import { whatsappWindow } from "../window.js";
import { parseWhatsAppPayload } from "./parse.js";
import { renderWhatsAppReply } from "./render.js";
import { CHANNEL_TRAITS } from "../traits.js";

/** The approved template outside the 24 h window: the owner's own (WHATSAPP_OWNER_REPLY_TEMPLATE) for their replies, else WHATSAPP_TEMPLATE_NAME. */
export function templateOf(services: Pick<Services, "config">, sender: SenderKind): string | undefined {
  const general = services.config.whatsapp.templateName;
  return sender === "owner" ? (services.config.owner.replyTemplate ?? general) : general;
}

export const whatsappAdapter: LedgerAdapter = {
  ...CHANNEL_TRAITS.whatsapp,
  configured: (services) => services.config.whatsapp.configured,
  appSecret(services) {
    const c = services.config.whatsapp;
    return c.configured ? c.appSecret : services.config.meta.appSecret;
  },
  parse(services, payload) {
    const wa = services.config.whatsapp;
    const batch = parseWhatsAppPayload(payload, wa.configured ? wa.phoneNumberId : undefined);
    const ignored: Record<string, number> = {};
    if (batch.otherNumber) ignored.other_phone_number = batch.otherNumber;
    if (batch.ignoredStatuses) ignored.untracked_status = batch.ignoredStatuses;
    return { messages: batch.messages, statuses: batch.statuses, skipped: batch.skipped, ignored };
  },
  render(services, reply, opts) {
    const wa = services.config.whatsapp;
    return renderWhatsAppReply(reply, {
      lang: opts.lang,
      baseUrl: services.config.app.publicBaseUrl,
      template: templateOf(services, opts.sender ?? "assistant") ? { name: templateOf(services, opts.sender ?? "assistant")!, language: wa.templateLanguage } : null,
    });
  },
  send: (services, message) => deliverMessage(services, whatsappAdapter, message),
  classifyError: classifyWhatsAppError,
  async window(services, at) {
    const query = await windowQuery(services, "whatsapp", at);
    return whatsappWindow(query, templateOf(services, at.sender));
  },
  transmit: (services, to, body) => metaClient(services).whatsapp.send(whatsappRecipient(to.userId, to.phone), body),
  admit: (_services, row, window) => (window.window_open ? "free_form" : row.fallback ? "template" : "closed"),
  closedReason(services, last, partIndex) {
    return services.config.whatsapp.templateName && partIndex > 0
      ? `outside WhatsApp's 24-hour customer service window (last message from the user: ${last}); only the first part goes out, as the approved template`
      : `outside WhatsApp's 24-hour customer service window (last message from the user: ${last}) and no approved template is configured (set WHATSAPP_TEMPLATE_NAME)`;
  },
  leaseSeconds: (services) => metaLeaseSeconds(services.config.whatsapp),
};
