/**
 * "New lead" to the owner (the original notifyNewLead), through the owner notifications of
 * lib/notifications: email and WhatsApp, once per lead email address per NOTIFY_DEDUP_TTL_SECONDS.
 */
import { notify, type NotifyResult } from "../notifications/index.js";
import type { Services } from "../services.js";

export interface LeadNotice {
  id: string;
  email: string;
  name?: string | null;
  phone?: string | null;
  message?: string | null;
  source?: string | null;
  conversationId?: string | null;
}

const LEAD_TEXT = {
  fr: { subject: "Nouveau lead", body: "Un visiteur a laissé ses coordonnées.", name: "Nom", email: "Email", phone: "Téléphone", message: "Message", source: "Source", conversation: "Conversation", id: "Lead" },
  en: { subject: "New lead", body: "A visitor left their contact details.", name: "Name", email: "Email", phone: "Phone", message: "Message", source: "Source", conversation: "Conversation", id: "Lead" },
} as const;

/** "New lead" to the owner, once per email address per TTL. */
export function notifyNewLead(services: Services, lead: LeadNotice): Promise<NotifyResult[]> {
  const lang = services.config.app.defaultLanguage;
  const t = LEAD_TEXT[lang];
  const who = lead.name?.trim() || lead.email;
  return notify(services, {
    type: "lead",
    dedupKey: `lead:${lead.email.trim().toLowerCase()}`,
    subject: `${t.subject}${lang === "fr" ? " : " : ": "}${who}`,
    message: t.body,
    fields: {
      [t.name]: lead.name ?? "",
      [t.email]: lead.email,
      [t.phone]: lead.phone ?? "",
      [t.message]: lead.message ?? "",
      [t.source]: lead.source ?? "",
      [t.conversation]: lead.conversationId ?? "",
      [t.id]: lead.id,
    },
    replyTo: lead.email,
  });
}
