/**
 * The owner's WhatsApp alert: one plain text message through the Cloud API
 * (`POST /{GRAPH_VERSION}/{PHONE_NUMBER_ID}/messages`), via lib/http (timeout, breaker). Not
 * retried inline: Meta has no idempotency key, so a retry could alert twice; the notification
 * retry job tries again later instead. Free-form text reaches the owner only inside the 24 h
 * window opened by their last message to the business number (else Meta error 131047).
 */
import { httpClient } from "../http/index.js";
import type { Services } from "../services.js";

/** Meta's `error.code` from an error body, as a string. */
export function metaErrorCode(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
  return code === undefined || code === null ? undefined : String(code);
}

/** "+33 6 12-34-56-78" -> "33612345678" (the `to` WhatsApp expects). */
export function whatsappNumber(phone: string): string {
  return phone.replace(/[^\d]/g, "");
}

const MAX_BODY = 4096;

export function whatsappConfigured(services: Services): boolean {
  return services.config.whatsapp.configured && !!services.config.notifications.adminPhone;
}

/** Sends `text` to `to` (a phone number). Throws UpstreamError / BreakerOpenError on failure. */
export async function sendWhatsAppText(services: Services, to: string, text: string): Promise<{ messageId: string | null }> {
  const wa = services.config.whatsapp;
  if (!wa.configured) throw new Error("WhatsApp is not configured");
  const client = httpClient(services, {
    service: "whatsapp",
    baseUrl: wa.baseUrl,
    timeoutMs: wa.timeoutMs,
    retry: wa.retry,
    headers: { authorization: `Bearer ${wa.accessToken}` },
    errorCode: metaErrorCode,
  });
  const body = text.length > MAX_BODY ? `${text.slice(0, MAX_BODY - 1)}…` : text;
  const res = await client.json<{ messages?: { id?: string }[] }>({
    method: "POST",
    path: `/${wa.graphVersion}/${encodeURIComponent(wa.phoneNumberId)}/messages`,
    json: { messaging_product: "whatsapp", recipient_type: "individual", to: whatsappNumber(to), type: "text", text: { body, preview_url: false } },
  });
  return { messageId: res?.messages?.[0]?.id ?? null };
}
