/**
 * The owner's WhatsApp alert: one plain text message through the Meta integration
 * (lib/integrations/meta: Cloud API, lib/http timeout and breaker). Not retried inline: Meta
 * has no idempotency key, so a retry could alert twice; the notification retry job tries again
 * later instead. Free-form text reaches the owner only inside the 24 h window opened by their
 * last message to the business number (else Meta error 131047).
 */
import { metaClient, phoneDigits } from "../integrations/meta/index.js";
import type { Services } from "../services.js";

const MAX_BODY = 4096;

export function whatsappConfigured(services: Services): boolean {
  return services.config.whatsapp.configured && !!services.config.notifications.adminPhone;
}

/** Sends `text` to `to` (a phone number), once. Throws UpstreamError / BreakerOpenError on failure. */
export async function sendWhatsAppText(services: Services, to: string, text: string): Promise<{ messageId: string | null }> {
  const body = text.length > MAX_BODY ? `${text.slice(0, MAX_BODY - 1)}…` : text;
  const messageId = await metaClient(services).whatsapp.send({ to: phoneDigits(to) }, { type: "text", text: { body, preview_url: false } }, { retryInline: false });
  return { messageId };
}
