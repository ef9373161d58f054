/**
 * Delivers one claimed notification on one channel (email or the owner's WhatsApp) and turns
 * the result into a SendOutcome for notification_finish. Never throws: a failure is an outcome.
 */
import { UpstreamError } from "../http/index.js";
import { EmailError, renderNotificationEmail, sendEmail } from "../integrations/email/index.js";
import type { Services } from "../services.js";
import type { NotificationChannel, NotificationContent, SendOutcome } from "./store.js";
import { sendWhatsAppText } from "./whatsapp.js";

/** Used when SMTP is not configured and no owner address is set: the .eml still shows the message. */
export const OUTBOX_PLACEHOLDER_RECIPIENT = "owner@outbox.invalid";

export interface Delivery extends SendOutcome {
  transport?: "smtp" | "outbox" | "whatsapp";
  /** The .eml file, when written to the outbox. */
  path?: string;
}

/** The WhatsApp text of a notification: subject, message, then one line per field. */
export function whatsappText(brandName: string, content: Pick<NotificationContent, "subject" | "message" | "fields">): string {
  return [`[${brandName}] ${content.subject}`, "", content.message, "", ...content.fields.map(([k, v]) => `${k}: ${v}`)]
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export async function deliver(
  services: Services,
  id: string,
  channel: NotificationChannel,
  recipient: string | null,
  content: Pick<NotificationContent, "subject" | "message" | "fields" | "replyTo">,
): Promise<Delivery> {
  const { app } = services.config;
  try {
    if (!recipient) throw new EmailError("invalid_recipient", "No recipient for this notification.", false);
    if (channel === "email") {
      const rendered = renderNotificationEmail({
        brandName: app.brandName,
        brandColor: app.brandColor,
        subject: content.subject,
        message: content.message,
        fields: Object.fromEntries(content.fields),
        language: app.defaultLanguage,
      });
      // The owner's allowlist guards owner notifications; an explicit recipient other than the
      // owner is a shopper who gave that address (e.g. an order confirmation).
      const owner = services.config.notifications.adminEmail;
      const audience = !owner || recipient.toLowerCase() === owner.toLowerCase() || recipient === OUTBOX_PLACEHOLDER_RECIPIENT ? "owner" : "shopper";
      const sent = await sendEmail(services, { to: recipient, audience, ...rendered, ...(content.replyTo ? { replyTo: content.replyTo } : {}) });
      return { id, ok: true, transport: sent.transport, ...(sent.path ? { path: sent.path } : {}) };
    }
    await sendWhatsAppText(services, recipient, whatsappText(app.brandName, content));
    return { id, ok: true, transport: "whatsapp" };
  } catch (err) {
    // An email the server refused, a disallowed recipient or a 4xx from Meta will not get better.
    // A spent request budget is not retried inline (no time left) but is worth a later try.
    const retryable =
      err instanceof EmailError ? err.retryable : err instanceof UpstreamError ? err.retryable || err.kind === "budget" : true;
    const code = err instanceof EmailError ? err.code : err instanceof UpstreamError ? `${err.service}_${err.kind}${err.code ? `_${err.code}` : ""}` : (err as Error)?.name;
    services.log.warn("notification not delivered", { channel, code, retryable, error: (err as Error)?.message });
    return {
      id,
      ok: false,
      retryable,
      error: `${code}: ${(err as Error)?.message ?? String(err)}`,
      transport: channel === "email" ? (services.config.email.configured ? "smtp" : "outbox") : "whatsapp",
    };
  }
}
