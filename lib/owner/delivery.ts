/**
 * Carries what the owner (or a timer, or a state change) says to the shopper, on the shopper's
 * own channel, through the channel adapters (lib/channels/registry.ts `sendToConversation`):
 *   web        stored for the widget (the message is already in the conversation; the web
 *              adapter's store is keyed the same, so nothing is stored twice); and by email
 *              when the shopper left and gave an address;
 *   WhatsApp   free text inside the 24 h window, else the approved template
 *              (WHATSAPP_OWNER_REPLY_TEMPLATE for the owner, its one parameter: the reply);
 *   Messenger  a standard message inside 24 h, the owner's reply tagged HUMAN_AGENT up to 7 days;
 *   email      when the channel's window is closed and the shopper gave an address.
 * Which of these applies was decided in SQL with the reply (owner_delivery, from the database
 * clock, with the adapters' window lengths). This runs after the response (waitUntil); the
 * Meta channels' sends go through their ledger (one row per message key, retried by the cron
 * job, never sent twice).
 */
import type { Reply } from "../assistant/types.js";
import type { SenderKind } from "../channels/adapter.js";
import { sendToConversation } from "../channels/registry.js";
import { renderNotificationEmail, sendEmail } from "../integrations/email/index.js";
import type { Services } from "../services.js";
import type { ConversationRow, Delivery, InboxMessage, ShopperEvent } from "./store.js";

const EMAIL_TEXT = {
  fr: { subject: (brand: string) => `Réponse de ${brand}`, intro: "Voici la réponse de la boutique à votre question :", outro: "Vous pouvez continuer la conversation sur le site." },
  en: { subject: (brand: string) => `An answer from ${brand}`, intro: "Here is the shop's answer to your question:", outro: "You can go on with the conversation on the website." },
} as const;

export interface ShopperDelivery {
  delivery: Delivery;
  /** Who speaks: the owner (their reply and the line announcing them), or the shop's automatic lines. */
  sender: SenderKind;
}

const asReply = (m: InboxMessage): Reply => ({ text: m.text, products: [], buttons: [], links: [], handoff: false });

/** Sends `messages` to the conversation's shopper as decided. Never throws: failures are logged (and retried by the ledger). */
export async function deliverToShopper(services: Services, c: ConversationRow, messages: InboxMessage[], how: ShopperDelivery): Promise<void> {
  if (!messages.length) return;
  try {
    // By email too; the channel still gets it (the widget shows it; a closed Meta window records it undeliverable).
    if (how.delivery === "email") await emailShopper(services, c, messages);
    const conversation = { channel: c.channel, user_key: c.user_key, language: c.language };
    for (const m of messages) {
      // Outside WhatsApp's window only the owner's reply goes, as the template; a line could not.
      if (how.delivery === "template" && m.from !== "owner") continue;
      if (!m.text.trim()) continue;
      await sendToConversation(services, { conversation, sender: how.sender, reply: asReply(m), key: m.key ?? `owner:${m.id}` });
    }
  } catch (err) {
    services.log.error("owner message not delivered to the shopper", { conversationId: c.id, channel: c.channel, error: (err as Error)?.message });
  }
}

/** Lines of a timer or a state change (automatic: the assistant's window rules apply). */
export function deliverEvents(services: Services, events: ShopperEvent[]): Promise<void[]> {
  return Promise.all(events.map((e) => deliverToShopper(services, e.conversation, e.messages, { delivery: "sent", sender: "assistant" })));
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
