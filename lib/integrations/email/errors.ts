/** Why an email was not sent. `retryable` tells the notification retry whether to try again. */
export type EmailErrorCode = "recipient_not_allowed" | "invalid_recipient" | "smtp_failed" | "outbox_failed";

export class EmailError extends Error {
  override name = "EmailError";
  constructor(
    readonly code: EmailErrorCode,
    message: string,
    readonly retryable: boolean,
    /** nodemailer's error code (ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE, ...), when known. */
    readonly smtpCode?: string,
    /** The SMTP reply code (4xx transient, 5xx permanent), when the server answered. */
    readonly responseCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Whether a nodemailer failure is transient: connection, TLS, timeouts and 4xx replies are (they
 * count against the SMTP breaker and the send is retried later); a 5xx reply about this message
 * or recipient (the server is up and refused it) and a bad configuration are not.
 */
export function isTransientSmtpFailure(err: unknown): boolean {
  const e = err as { code?: string; responseCode?: number } | null;
  if (typeof e?.responseCode === "number") return e.responseCode < 500;
  return !(e?.code === "EENVELOPE" || e?.code === "EMESSAGE" || e?.code === "ECONFIG");
}
