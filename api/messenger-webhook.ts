/**
 * GET  /api/messenger-webhook — Meta's verification challenge (hub.mode=subscribe and
 *      hub.verify_token = MESSENGER_VERIFY_TOKEN -> 200 text/plain challenge; 403 otherwise).
 * POST /api/messenger-webhook — signed Messenger Platform events (messages, postbacks):
 *      X-Hub-Signature-256 checked on the raw body first (401), each message id claimed once,
 *      200 at once, the answers sent after the response. See lib/channels/webhook.ts.
 */
import { handleMetaWebhook } from "../lib/channels/webhook.js";
import { verifyChallenge } from "../lib/channels/verify-challenge.js";
import { route } from "../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("messenger-webhook", {
  GET: {
    summary: "Meta's verification challenge (Messenger)",
    handler: ({ query, services }) => {
      const ms = services.config.messenger;
      return verifyChallenge(query, ms.configured ? ms.verifyToken : undefined);
    },
  },
  POST: {
    summary: "Signed Messenger notifications (X-Hub-Signature-256)",
    rawBody: true,
    maxBodyBytes: 3 * 1024 * 1024,
    handler: ({ request, rawBody, services, waitUntil }) =>
      handleMetaWebhook(services, "messenger", { rawBody, signature: request.headers.get("x-hub-signature-256"), waitUntil }),
  },
});
