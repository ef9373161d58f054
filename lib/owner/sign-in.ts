/**
 * Signing in without a password: an emailed six-digit code (stored hashed, 10 minutes, the
 * 5th wrong try voids it) exchanged for a session (a random 256-bit token in an HttpOnly
 * cookie, stored hashed; idle 7 days, absolute 30 days). A reply link from a hand-off
 * notification (>= 128 bits, in the URL fragment, exchanged by POST, single use, 24 h) opens a
 * session limited to its one conversation.
 */
import { ApiError } from "../errors.js";
import { renderNotificationEmail, sendEmail } from "../integrations/email/index.js";
import type { Services } from "../services.js";
import {
  CODE_MAX_ATTEMPTS,
  CODE_RATE_LIMIT,
  CODE_RATE_WINDOW_SECONDS,
  CODE_TTL_SECONDS,
  SESSION_ABSOLUTE_SECONDS,
  hashCode,
  hashToken,
  newCode,
  newSessionToken,
} from "./tokens.js";

const TEXT = {
  fr: { subject: (code: string) => `Votre code de connexion : ${code}`, body: (code: string) => `Votre code pour ouvrir la boîte de réception : ${code}\n\nIl est valable 10 minutes. Si vous n'avez rien demandé, ignorez ce message.` },
  en: { subject: (code: string) => `Your sign-in code: ${code}`, body: (code: string) => `Your code to open the inbox: ${code}\n\nIt is valid for 10 minutes. If you did not ask for it, ignore this message.` },
} as const;

export const isOwnerEmail = (services: Pick<Services, "config">, email: string) => services.config.owner.emails.includes(email.trim().toLowerCase());

/**
 * Emails a code when `email` is an owner's (else does nothing: the caller answers 202 either
 * way, and runs this after the response so that timing tells nothing either).
 */
export async function sendSignInCode(services: Services, email: string): Promise<{ sent: boolean; outboxPath?: string }> {
  const address = email.trim().toLowerCase();
  if (!isOwnerEmail(services, address)) return { sent: false };
  const code = newCode();
  const begun = await services.store.rpc<{ issued: boolean }>("owner_login_begin", {
    p_email: address,
    p_code_hash: hashCode(address, code),
    p_ttl_seconds: CODE_TTL_SECONDS,
    p_rate_limit: CODE_RATE_LIMIT,
    p_rate_window_seconds: CODE_RATE_WINDOW_SECONDS,
  });
  if (!begun.issued) {
    services.log.warn("owner sign-in code not sent: too many asked for this address");
    return { sent: false };
  }
  const { app } = services.config;
  const t = TEXT[app.defaultLanguage];
  const rendered = renderNotificationEmail({ brandName: app.brandName, brandColor: app.brandColor, subject: t.subject(code), message: t.body(code), language: app.defaultLanguage });
  const sent = await sendEmail(services, { to: address, audience: "owner", ...rendered });
  if (sent.path) services.log.info(`owner sign-in code written to the outbox: ${sent.path}`);
  return { sent: true, ...(sent.path ? { outboxPath: sent.path } : {}) };
}

/** Exchanges a code for a session token. Throws 401 (wrong or expired) or 429 (voided). */
export async function verifySignInCode(services: Services, email: string, code: string): Promise<string> {
  const address = email.trim().toLowerCase();
  const token = newSessionToken();
  const result = await services.store.rpc<{ status: "ok" | "invalid" | "locked" }>("owner_login_verify", {
    p_email: address,
    p_code_hash: hashCode(address, code),
    p_token_hash: hashToken(token),
    p_max_attempts: CODE_MAX_ATTEMPTS,
    p_absolute_seconds: SESSION_ABSOLUTE_SECONDS,
  });
  switch (result.status) {
    case "ok":
      return token;
    case "invalid":
      throw new ApiError("unauthorized", "This code is wrong or has expired. Ask for a new one if needed.");
    case "locked":
      throw new ApiError("rate_limited", "Too many wrong codes: this code no longer works. Ask for a new one.", { retryAfterSeconds: 60 });
    default: {
      const never: never = result.status;
      throw new Error(`owner_login_verify answered ${String(never)}`);
    }
  }
}

/** Exchanges a reply link's token for a session scoped to its conversation. Throws 401 when used or expired. */
export async function exchangeLink(services: Services, linkToken: string): Promise<{ token: string; conversationId: string; ref: number }> {
  const token = newSessionToken();
  const result = await services.store.rpc<{ status: "ok" | "invalid"; conversation_id?: string; ref?: number }>("owner_link_exchange", {
    p_link_hash: hashToken(linkToken),
    p_token_hash: hashToken(token),
  });
  if (result.status !== "ok") throw new ApiError("unauthorized", "This link was already used or has expired. Sign in to the inbox instead.");
  return { token, conversationId: result.conversation_id!, ref: result.ref! };
}
