/**
 * lib/integrations/email — sends email: SMTP through nodemailer when SMTP_HOST is set (every
 * send under the shared "smtp" circuit breaker, short timeouts), otherwise `.eml` files in the
 * outbox folder. Every recipient passes the ADMIN_EMAIL_ALLOWED_DOMAINS allowlist, whatever
 * asked for the send. Templates escape every value and carry a text part.
 */
export { createEmailSender, sendEmail, checkRecipients, type EmailConfig, type EmailSender, type EmailMessage, type EmailSent } from "./sender.js";
export { isRecipientAllowed, domainOf } from "./allowlist.js";
export { EmailError, isTransientSmtpFailure, type EmailErrorCode } from "./errors.js";
export { escapeHtml, headerLine } from "./escape.js";
export { renderNotificationEmail, type NotificationTemplateInput, type RenderedEmail } from "./template.js";
export { smtpOptions } from "./smtp.js";
