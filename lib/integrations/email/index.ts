/**
 * lib/integrations/email — sends email: SMTP through nodemailer when SMTP_HOST is set (every
 * send under the shared "smtp" circuit breaker, short timeouts), otherwise `.eml` files in the
 * outbox folder. Every recipient passes the ADMIN_EMAIL_ALLOWED_DOMAINS allowlist, whatever
 * asked for the send. Templates escape every value and carry a text part.
 */
import type { SendMailOptions, SMTPSentMessageInfo, Transporter } from "nodemailer";
import { BreakerOpenError, serviceBreaker } from "../../http/index.js";
import { lazy, type Services } from "../../services.js";
import { isRecipientAllowed } from "./allowlist.js";
import { EmailError, isTransientSmtpFailure } from "./errors.js";
import { headerLine } from "./escape.js";
import { writeToOutbox } from "./outbox.js";
import { createSmtpTransport } from "./smtp.js";

export { isRecipientAllowed, domainOf } from "./allowlist.js";
export { EmailError, isTransientSmtpFailure, type EmailErrorCode } from "./errors.js";
export { escapeHtml, headerLine } from "./escape.js";
export { renderNotificationEmail, type NotificationTemplateInput, type RenderedEmail } from "./template.js";
export { smtpOptions } from "./smtp.js";

export interface EmailMessage {
  /** One address, or several separated by commas. */
  to: string;
  subject: string;
  text: string;
  html: string;
  replyTo?: string;
  /**
   * "owner" (default): ADMIN_EMAIL_ALLOWED_DOMAINS applies. "shopper": a message to the address a
   * shopper gave (order confirmation); the owner's allowlist does not apply to it.
   */
  audience?: "owner" | "shopper";
}

export interface EmailSent {
  transport: "smtp" | "outbox";
  messageId: string;
  /** The .eml file written (outbox only). */
  path?: string;
}

/** Deliberately simple: one "@", no spaces or angle brackets, a dot in the domain. */
const ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/** Splits and checks a recipient list; throws EmailError (not retryable) on a bad or disallowed address. */
export function checkRecipients(to: string, allowedDomains: readonly string[]): string[] {
  const list = to.split(",").map((a) => a.trim()).filter(Boolean);
  if (list.length === 0) throw new EmailError("invalid_recipient", "No recipient address.", false);
  for (const address of list) {
    if (!ADDRESS.test(address)) throw new EmailError("invalid_recipient", "A recipient address is not valid.", false);
    if (!isRecipientAllowed(address, allowedDomains)) {
      throw new EmailError("recipient_not_allowed", "A recipient's domain is not in ADMIN_EMAIL_ALLOWED_DOMAINS.", false);
    }
  }
  return list;
}

function smtpTransport(services: Services): Promise<Transporter<SMTPSentMessageInfo>> {
  const email = services.config.email;
  if (!email.configured) throw new Error("SMTP is not configured");
  return lazy(services, "email:smtp-transport", () => createSmtpTransport(email));
}

/**
 * Sends one message. SMTP not configured -> written to the outbox folder. Throws EmailError
 * (with `retryable`) or BreakerOpenError; never reports a failed send as sent.
 */
export async function sendEmail(services: Services, message: EmailMessage): Promise<EmailSent> {
  const { email, app } = services.config;
  const to = checkRecipients(message.to, message.audience === "shopper" ? [] : email.allowedDomains);
  const replyTo = message.replyTo && ADDRESS.test(message.replyTo.trim()) ? message.replyTo.trim() : undefined;
  const mail: SendMailOptions = {
    from: email.configured ? email.from : { name: headerLine(app.brandName, 80), address: "outbox@localhost" },
    to,
    ...(replyTo ? { replyTo } : {}),
    subject: headerLine(message.subject),
    text: message.text,
    html: message.html,
  };

  if (!email.configured) {
    try {
      const written = await writeToOutbox(email.outboxDir, mail);
      return { transport: "outbox", messageId: written.messageId, path: written.path };
    } catch (err) {
      throw new EmailError("outbox_failed", `Could not write to the outbox folder: ${(err as Error).message}`, true, undefined, undefined, { cause: err });
    }
  }

  const transport = await smtpTransport(services);
  let info: SMTPSentMessageInfo;
  try {
    info = await serviceBreaker(services, "smtp", () => transport.sendMail(mail), isTransientSmtpFailure);
  } catch (err) {
    if (err instanceof BreakerOpenError || err instanceof EmailError) throw err;
    const e = err as { code?: string; responseCode?: number; message?: string };
    throw new EmailError("smtp_failed", `SMTP send failed${e.code ? ` (${e.code})` : ""}: ${e.message ?? String(err)}`, isTransientSmtpFailure(err), e.code, e.responseCode, {
      cause: err,
    });
  }
  if (info.rejected?.length) {
    throw new EmailError("smtp_failed", `The SMTP server refused ${info.rejected.length} recipient(s).`, false);
  }
  return { transport: "smtp", messageId: info.messageId };
}
