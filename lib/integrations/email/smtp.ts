/**
 * The nodemailer SMTP transport, built from config.email: implicit TLS only when `secure`
 * (465 by default), STARTTLS otherwise, and required whenever credentials would be sent; short
 * connection, greeting, socket and DNS timeouts (SMTP_TIMEOUT_MS) instead of nodemailer's
 * minutes-long defaults. nodemailer is imported on first use only.
 */
import type { SMTPSentMessageInfo, SMTPTransportOptions, Transporter } from "nodemailer";
import type { Config } from "../../config.js";

type SmtpConfig = Extract<Config["email"], { configured: true }>;

export function smtpOptions(email: SmtpConfig): SMTPTransportOptions {
  const auth = email.user && email.pass ? { user: email.user, pass: email.pass } : undefined;
  return {
    host: email.host,
    port: email.port,
    secure: email.secure,
    // Never send a password in clear: with credentials and no implicit TLS, STARTTLS is mandatory.
    requireTLS: !email.secure && auth !== undefined,
    ...(auth ? { auth } : {}),
    connectionTimeout: email.timeoutMs,
    greetingTimeout: email.timeoutMs,
    socketTimeout: email.timeoutMs,
    dnsTimeout: email.timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

export async function createSmtpTransport(email: SmtpConfig): Promise<Transporter<SMTPSentMessageInfo>> {
  const { default: nodemailer } = await import("nodemailer");
  return nodemailer.createTransport(smtpOptions(email));
}
