/**
 * Carries what the owner (or a timer, or a state change) says to the shopper, on the shopper's
 * own channel:
 *   web        stored (the widget polls it); and by email when the shopper left and gave one;
 *   WhatsApp   free text inside the 24 h window, else the approved template
 *              WHATSAPP_OWNER_REPLY_TEMPLATE (its one parameter: the reply);
 *   Messenger  a standard message inside 24 h, the HUMAN_AGENT tag up to 7 days;
 *   email      when the channel's window is closed and the shopper gave an address.
 * Which of these applies was decided in SQL with the reply (owner_delivery), from the database
 * clock; this runs after the response (waitUntil), through the channel's send ledger (one row
 * per message, retried by the cron job, never sent twice).
 */
import { deliverParts } from "../channels/outbound.js";
import type { ChannelName, OutboundPart } from "../channels/types.js";
import { templateMessage } from "../channels/whatsapp/render.js";
import { renderNotificationEmail, sendEmail } from "../integrations/email/index.js";
import type { Services } from "../services.js";
import type { ConversationRow, Delivery, InboxMessage, ShopperEvent } from "./store.js";

const EMAIL_TEXT = {
  fr: { subject: (brand: string) => `Réponse de ${brand}`, intro: "Voici la réponse de la boutique à votre question :", outro: "Vous pouvez continuer la conversation sur le site." },
  en: { subject: (brand: string) => `An answer from ${brand}`, intro: "Here is the shop's answer to your question:", outro: "You can go on with the conversation on the website." },
} as const;

export interface ShopperDelivery {
  delivery: Delivery;
  /** Messenger: send with the HUMAN_AGENT tag (between 24 h and 7 days). */
  tag?: boolean;
}

/** Sends `messages` to the conversation's shopper as decided. Never throws: failures are logged (and retried by the ledger). */
export async function deliverToShopper(services: Services, c: ConversationRow, messages: InboxMessage[], how: ShopperDelivery): Promise<void> {
  if (!messages.length) return;
  try {
    if (how.delivery === "email") return await emailShopper(services, c, messages);
    if (c.channel === "web" || how.delivery === "stored") return;
    const channel: ChannelName = c.channel;
    for (const m of messages) {
      const parts = renderParts(services, channel, m, how);
      if (!parts.length) continue;
      await deliverParts(services, { channel, userId: c.user_key, sourceKey: m.key ?? `owner:${m.id}`, parts, ...(how.tag ? { windowHours: 7 * 24 } : {}) });
    }
  } catch (err) {
    services.log.error("owner message not delivered to the shopper", { conversationId: c.id, channel: c.channel, error: (err as Error)?.message });
  }
}

/** Messages of a timer or a state change: the lines go as plain messages inside the window. */
export function deliverEvents(services: Services, events: ShopperEvent[]): Promise<void[]> {
  return Promise.all(events.map((e) => deliverToShopper(services, e.conversation, e.messages, { delivery: "sent" })));
}

function renderParts(services: Services, channel: ChannelName, m: InboxMessage, how: ShopperDelivery): OutboundPart[] {
  const text = m.text.trim();
  if (!text) return [];
  if (channel === "whatsapp") {
    const template = services.config.owner.replyTemplate;
    const fallback = m.from === "owner" && template ? templateMessage({ name: template, language: services.config.whatsapp.templateLanguage }, text) : null;
    // Outside the window only the owner's reply goes, as the template; a line would be undeliverable.
    if (how.delivery === "template" && m.from !== "owner") return [];
    return [{ kind: "text", body: { type: "text", text: { body: text.slice(0, 4096), preview_url: false } }, fallback }];
  }
  const message = { text: text.slice(0, 2000) };
  return [{ kind: "text", body: how.tag ? { messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT", message } : { messaging_type: "RESPONSE", message } }];
}

async function emailShopper(services: Services, c: ConversationRow, messages: InboxMessage[]): Promise<void> {
  if (!c.contact_email) return;
  const { app } = services.config;
  const lang = c.language ?? app.defaultLanguage;
  const t = EMAIL_TEXT[lang];
  const body = messages.filter((m) => m.from === "owner" || m.from === "system").map((m) => m.text).join("\n\n");
  const rendered = renderNotificationEmail({ brandName: app.brandName, brandColor: app.brandColor, subject: t.subject(app.brandName), message: `${t.intro}\n\n${body}\n\n${t.outro}`, language: lang });
  await sendEmail(services, { to: c.contact_email, audience: "shopper", ...rendered });
}
