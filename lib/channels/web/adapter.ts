/**
 * The web widget adapter. Its messages arrive through POST /api/chat (no webhook: `parse` is
 * null) and the assistant's answers are returned in that request. A message the shop sends on
 * its own (the owner's reply, a message the shop starts) is stored as a message of the
 * conversation (`chat_outbound_store`, once per source key) for the widget to fetch. No window:
 * anything may be sent at any time.
 */
import type { Reply } from "../../assistant/types.js";
import { UpstreamError } from "../../http/index.js";
import type { Services } from "../../services.js";
import type { ChannelAdapter, DeliveryReport } from "../adapter.js";
import { CHANNEL_TRAITS } from "../traits.js";

export interface StoredWebMessage {
  stored: boolean;
  message_id: number;
  conversation_id: string;
  created_at: string;
}

/** Stores `reply` in the web conversation of `userKey` (the session id); null when there is none. */
export function webMessageStore(
  services: Services,
  input: { userKey: string; key: string; reply: Reply; meta: Record<string, unknown> },
): Promise<StoredWebMessage | null> {
  return services.store.rpc<StoredWebMessage | null>("chat_outbound_store", {
    p_channel: "web",
    p_user_key: input.userKey,
    p_key: input.key,
    p_text: input.reply.text,
    p_reply: input.reply,
    p_meta: input.meta,
  });
}

export const webAdapter: ChannelAdapter = {
  ...CHANNEL_TRAITS.web,
  configured: () => true,
  parse: null,
  render: (_services, reply) => [{ kind: "reply", body: { ...reply } }],
  async send(services, message): Promise<DeliveryReport> {
    const stored = await webMessageStore(services, {
      userKey: message.userId,
      key: message.sourceKey,
      reply: message.reply,
      meta: { sender: message.sender, ...(message.purpose ? { purpose: message.purpose } : {}) },
    });
    if (!stored) services.log.info("web message not stored: no such conversation", { channel: "web" });
    return { parts: 1, sent: stored ? 1 : 0, failed: 0, undeliverable: stored ? 0 : 1, pending: 0, notConfigured: false };
  },
  // A failed store is the database being unavailable: worth trying again later.
  classifyError: (err) => ({
    kind: "retry",
    code: err instanceof UpstreamError ? err.code : undefined,
    reason: (err as Error)?.message ?? String(err),
    retrySeconds: 30,
  }),
  window: async () => ({ allowed: "free_text", until: null }),
};
