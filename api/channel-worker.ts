/**
 * POST /api/channel-worker — answers the messages the webhooks queued (lib/channels/jobs.ts), in
 * its own invocation. Called by the webhooks after their 200 with an internal signature
 * (WORKER_SECRET, auth "internal": 401 otherwise, 503 when the secret is not set). Answers 202 at
 * once and drains the queue after the response with up to WORKER_CONCURRENCY loops; a call while
 * the instance's drain loops are all busy only tells them to look again.
 */
import { dispatchQueued } from "../lib/channels/dispatch.js";
import { requestDrain } from "../lib/channels/jobs.js";
import { json, route } from "../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("channel-worker", {
  POST: {
    summary: "Answer the queued WhatsApp and Messenger messages (internal call from the webhooks)",
    auth: "internal",
    responses: { 202: { description: "Accepted: the queue is drained after the response" } },
    handler({ services, waitUntil }) {
      // The call wakes a sleeping worker (one per burst of deliveries): start every drain loop
      // the instance may run (WORKER_CONCURRENCY), they take the queue in turns.
      for (let i = 0; i < services.config.app.worker.concurrency; i++) waitUntil(requestDrain(services, { handOff: dispatchQueued }));
      return json({ accepted: true }, { status: 202 });
    },
  },
});
