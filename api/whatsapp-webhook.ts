/**
 * GET  /api/whatsapp-webhook — Meta's verification challenge (hub.mode=subscribe and
 *      hub.verify_token = WHATSAPP_VERIFY_TOKEN -> 200 text/plain challenge; 403 otherwise).
 * POST /api/whatsapp-webhook — signed WhatsApp Cloud API notifications (messages, statuses):
 *      X-Hub-Signature-256 checked on the raw body first (401), each message id claimed once,
 *      200 at once, the answers sent after the response. See lib/channels/webhook.ts.
 */
import { handleMetaWebhook } from "../lib/channels/webhook.js";
import { verifyChallenge } from "../lib/channels/verify-challenge.js";
import { route } from "../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("whatsapp-webhook", {
  GET: {
    summary: "Meta's verification challenge (WhatsApp)",
    handler: ({ query, services }) => {
      const wa = services.config.whatsapp;
      return verifyChallenge(query, wa.configured ? wa.verifyToken : undefined);
    },
  },
  POST: {
    summary: "Signed WhatsApp notifications (X-Hub-Signature-256)",
    rawBody: true,
    maxBodyBytes: 3 * 1024 * 1024,
    handler: ({ request, rawBody, services, waitUntil }) =>
      handleMetaWebhook(services, "whatsapp", { rawBody, signature: request.headers.get("x-hub-signature-256"), waitUntil }),
  },
});
