/**
 * The Messenger adapter: Page webhooks (parse.ts), a Reply as Messenger messages (render.ts),
 * sends through the Meta integration and the outbound ledger, and the windows: 24 h standard
 * messaging, then a person's reply tagged HUMAN_AGENT up to 7 days (the assistant stays 24 h).
 */
import { classifyMessengerError, metaClient } from "../../integrations/meta/index.js";
import type { LedgerAdapter } from "../adapter.js";
import { deliverMessage, metaLeaseSeconds } from "../ledger.js";
import { humanAgentUntil, messengerWindow } from "../window.js";
import { windowQuery } from "../window-query.js";
import { parseMessengerPayload } from "./parse.js";
import { renderMessengerReply } from "./render.js";
import { CHANNEL_TRAITS } from "../traits.js";

export const messengerAdapter: LedgerAdapter = {
  ...CHANNEL_TRAITS.messenger,
  configured: (services) => services.config.messenger.configured,
  appSecret(services) {
    const c = services.config.messenger;
    return c.configured ? c.appSecret : services.config.meta.appSecret;
  },
  parse(services, payload) {
    const ms = services.config.messenger;
    const greeting = services.config.app.defaultLanguage === "en" ? "Hello" : "Bonjour";
    const batch = parseMessengerPayload(payload, { pageId: ms.configured ? ms.pageId : undefined, greeting });
    return { messages: batch.messages, statuses: [], skipped: batch.skipped, ignored: {} };
  },
  render(services, reply, opts) {
    const purpose = opts.purpose ?? "reply";
    return renderMessengerReply(reply, {
      lang: opts.lang,
      baseUrl: services.config.app.publicBaseUrl,
      messagingType: purpose === "update" ? "UPDATE" : purpose === "human_agent" ? "MESSAGE_TAG" : "RESPONSE",
    });
  },
  send: (services, message) => deliverMessage(services, messengerAdapter, message),
  classifyError: classifyMessengerError,
  window: async (services, at) => messengerWindow(await windowQuery(services, "messenger", at)),
  transmit: (services, to, body) => metaClient(services).messenger.send(to.userId, body),
  admit(_services, row, window) {
    if (window.window_open) return "free_form";
    // A part tagged HUMAN_AGENT is a person's reply: Meta accepts it up to 7 days.
    const tagged = row.body.messaging_type === "MESSAGE_TAG" && row.body.tag === "HUMAN_AGENT";
    return tagged && humanAgentUntil("owner", window.last_inbound_at, window.now) ? "free_form" : "closed";
  },
  closedReason: (_services, last) =>
    `outside Messenger's 24-hour standard messaging window (last message from the user: ${last}); only tagged messages are allowed after it`,
  leaseSeconds: (services) => metaLeaseSeconds(services.config.messenger),
};
