/**
 * One WhatsApp Cloud API send: `POST {META_GRAPH_BASE_URL}/{GRAPH_VERSION}/{PHONE_NUMBER_ID}/messages`
 * with the system-user token, through lib/http (timeout, retries on 429/5xx, breaker). The
 * recipient is the phone number (`to`, digits only) when known — a BSUID is refused for some
 * message types (131062) — else the business-scoped user id (`recipient`).
 */
import type { Services } from "../../services.js";
import { graphClient } from "../graph.js";

export interface WhatsAppRecipient {
  to?: string;
  recipient?: string;
}

/** "+33 6 12-34-56-78" -> "33612345678". */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, "");
}

/** Where to send: the phone when known (or when the user id is a wa_id), else the BSUID. */
export function whatsappRecipient(userId: string, phone: string | null): WhatsAppRecipient {
  if (phone && phoneDigits(phone)) return { to: phoneDigits(phone) };
  if (/^\+?[\d\s-]{6,20}$/.test(userId)) return { to: phoneDigits(userId) };
  return { recipient: userId };
}

/**
 * Sends one message; resolves to Meta's message id (wamid). Throws UpstreamError / BreakerOpenError.
 * `retryInline: false` sends once (429/5xx left to a later job), for messages where a duplicate
 * is worse than a delay.
 */
export async function sendWhatsAppMessage(
  services: Services,
  to: WhatsAppRecipient,
  body: Record<string, unknown>,
  opts: { retryInline?: boolean } = {},
): Promise<string | null> {
  const wa = services.config.whatsapp;
  if (!wa.configured) throw new Error("WhatsApp is not configured");
  const res = await graphClient(services, "whatsapp").json<{ messages?: { id?: string }[] }>({
    method: "POST",
    path: `/${wa.graphVersion}/${encodeURIComponent(wa.phoneNumberId)}/messages`,
    headers: { authorization: `Bearer ${wa.accessToken}` },
    json: { messaging_product: "whatsapp", recipient_type: "individual", ...to, ...body },
    idempotent: opts.retryInline ?? true,
  });
  return res?.messages?.[0]?.id ?? null;
}
