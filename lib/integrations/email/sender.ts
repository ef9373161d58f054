/**
 * The email integration: `createEmailSender` over the `email` config slice (+ the brand name of
 * outbox mail) and IntegrationDeps; SMTP under the shared "smtp" breaker, or the outbox folder
 * when SMTP is not configured. `sendEmail(services, ...)` is its binding for the app.
 */
import type { SendMailOptions, SMTPSentMessageInfo, Transporter } from "nodemailer";
import type { Config } from "../../config.js";
import { BreakerOpenError, withBreaker } from "../../http/index.js";
import { lazy, type Services } from "../../services.js";
import { integrationDeps, type IntegrationDeps } from "../deps.js";
import { isRecipientAllowed } from "./allowlist.js";
import { EmailError, isTransientSmtpFailure } from "./errors.js";
import { headerLine } from "./escape.js";
import { writeToOutbox } from "./outbox.js";
import { createSmtpTransport } from "./smtp.js";

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

/** The `email` config slice, plus the brand name that signs outbox mail. */
export type EmailConfig = Config["email"] & { brandName: string };

export interface EmailSender {
  /**
   * Sends one message. SMTP not configured -> written to the outbox folder. Throws EmailError
   * (with `retryable`) or BreakerOpenError; never reports a failed send as sent.
   */
  send(message: EmailMessage): Promise<EmailSent>;
}

export function createEmailSender(email: EmailConfig, deps: IntegrationDeps): EmailSender {
  let transport: Promise<Transporter<SMTPSentMessageInfo>> | undefined;
  const smtpTransport = (): Promise<Transporter<SMTPSentMessageInfo>> => {
    if (!email.configured) throw new Error("SMTP is not configured");
    return (transport ??= createSmtpTransport(email));
  };
  return { send: (message) => send(email, deps, smtpTransport, message) };
}

/** The email sender of one Services object (its SMTP transport, and pool, built once). */
export function sendEmail(services: Services, message: EmailMessage): Promise<EmailSent> {
  const sender = lazy(services, "email:sender", () =>
    createEmailSender({ ...services.config.email, brandName: services.config.app.brandName }, integrationDeps(services)),
  );
  return sender.send(message);
}

async function send(
  email: EmailConfig,
  deps: IntegrationDeps,
  smtpTransport: () => Promise<Transporter<SMTPSentMessageInfo>>,
  message: EmailMessage,
): Promise<EmailSent> {
  const to = checkRecipients(message.to, message.audience === "shopper" ? [] : email.allowedDomains);
  const replyTo = message.replyTo && ADDRESS.test(message.replyTo.trim()) ? message.replyTo.trim() : undefined;
  const mail: SendMailOptions = {
    from: email.configured ? email.from : { name: headerLine(email.brandName, 80), address: "outbox@localhost" },
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

  const transport = await smtpTransport();
  let info: SMTPSentMessageInfo;
  try {
    info = await withBreaker({ store: deps.store, log: deps.log, settings: deps.breakers }, "smtp", () => transport.sendMail(mail), isTransientSmtpFailure);
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
