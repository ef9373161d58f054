/** WhatsApp recipients: the phone number (digits) when known, else the business-scoped user id. */
import type { WhatsAppRecipient } from "./client.js";

/** "+33 6 12-34-56-78" -> "33612345678". */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, "");
}

/**
 * Where to send: the phone when known (or when the user id is a wa_id), else the BSUID — which
 * Meta refuses for some message types (131062).
 */
export function whatsappRecipient(userId: string, phone: string | null): WhatsAppRecipient {
  if (phone && phoneDigits(phone)) return { to: phoneDigits(phone) };
  if (/^\+?[\d\s-]{6,20}$/.test(userId)) return { to: phoneDigits(userId) };
  return { recipient: userId };
}
