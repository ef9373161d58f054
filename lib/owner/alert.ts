/**
 * The hand-off alert on the owner's own WhatsApp (ADMIN_PHONE). It names the conversation by
 * its short reference (#12); the owner answers by quoting it (its wamid is recorded) or with
 * "#12 …". The owner's number has its own 24 h window (opened by their last message to the
 * business number, recorded by the relay): inside it the alert is free text; outside it the
 * approved utility template WHATSAPP_OWNER_ALERT_TEMPLATE (parameters: #ref, customer, last
 * message); without one the alert is recorded undeliverable (the email still goes). Sent once,
 * never retried inline (Meta has no idempotency key: a retry could alert twice).
 */
import { oneLine } from "../channels/compose.js";
import { metaClient, phoneDigits } from "../integrations/meta/index.js";
import type { Services } from "../services.js";

export interface OwnerAlert {
  conversationId: string;
  ref: number;
  customer: string;
  lastMessage: string;
  link: string | null;
}

const TEXT = {
  fr: (a: OwnerAlert) =>
    `#${a.ref} · un client demande à vous parler (${a.customer}).\n« ${oneLine(a.lastMessage, 300)} »\n\nRépondez en citant ce message, ou écrivez « #${a.ref} votre réponse ». « #${a.ref} bot » la rend à l'assistant, « #${a.ref} fin » la ferme.${a.link ? `\n${a.link}` : ""}`,
  en: (a: OwnerAlert) =>
    `#${a.ref} · a customer asks for you (${a.customer}).\n"${oneLine(a.lastMessage, 300)}"\n\nReply by quoting this message, or write "#${a.ref} your reply". "#${a.ref} bot" gives it back to the assistant, "#${a.ref} close" closes it.${a.link ? `\n${a.link}` : ""}`,
} as const;

export async function alertOwnerPhone(services: Services, a: OwnerAlert): Promise<"sent" | "template" | "undeliverable" | "failed" | "skipped"> {
  const { whatsapp, notifications, owner, app } = services.config;
  if (!whatsapp.configured || !notifications.adminPhone) return "skipped";
  const phone = phoneDigits(notifications.adminPhone);
  const record = (status: "sent" | "undeliverable" | "failed", extra: { id?: string | null; sentAs?: "free_form" | "template"; error?: string } = {}) =>
    services.store.rpc("owner_alert_record", {
      p_conversation_id: a.conversationId,
      p_status: status,
      p_provider_message_id: extra.id ?? null,
      p_sent_as: extra.sentAs ?? null,
      p_error: extra.error ?? null,
    });
  const window = await services.store.rpc<{ window_open: boolean }>("owner_phone_window", { p_phone: phone, p_hours: 24 });
  let body: Record<string, unknown>;
  let sentAs: "free_form" | "template";
  if (window.window_open) {
    body = { type: "text", text: { body: TEXT[app.defaultLanguage](a).slice(0, 4096), preview_url: false } };
    sentAs = "free_form";
  } else if (owner.alertTemplate) {
    const param = (text: string) => ({ type: "text", text: oneLine(text, 200) || "…" });
    body = {
      type: "template",
      template: {
        name: owner.alertTemplate,
        language: { code: whatsapp.templateLanguage },
        components: [{ type: "body", parameters: [param(`#${a.ref}`), param(a.customer), param(a.lastMessage)] }],
      },
    };
    sentAs = "template";
  } else {
    await record("undeliverable", { error: "outside the owner's 24-hour window and WHATSAPP_OWNER_ALERT_TEMPLATE is not set" });
    return "undeliverable";
  }
  try {
    const id = await metaClient(services).whatsapp.send({ to: phone }, body, { retryInline: false });
    await record("sent", { id, sentAs });
    return sentAs === "template" ? "template" : "sent";
  } catch (err) {
    services.log.warn("owner WhatsApp alert not sent", { error: (err as Error)?.message });
    await record("failed", { error: (err as Error)?.message ?? String(err) });
    return "failed";
  }
}
