/**
 * The channel adapters, in one map: the only place that knows which channels exist. Callers
 * ask an adapter (`channelAdapter(conversation.channel)`) instead of branching on a name.
 *
 * Sending into a conversation (the owner's inbox, a message the shop starts):
 *   const allowed = await replyWindow(services, conversation, "owner");   // what, until when
 *   await sendToConversation(services, { conversation, sender: "owner", reply, key });
 * `sendToConversation` renders for the channel and, on Messenger after 24 h, tags an owner's
 * reply HUMAN_AGENT (up to 7 days); on WhatsApp after 24 h only the template goes out.
 */
import type { Reply } from "../assistant/types.js";
import type { Services } from "../services.js";
import type { Channel, ChannelAdapter, DeliveryReport, LedgerAdapter, SenderKind, WindowAllowance } from "./adapter.js";
import { messengerAdapter } from "./messenger/adapter.js";
import { channelTraits } from "./traits.js";
import type { ChannelName } from "./types.js";
import { webAdapter } from "./web/adapter.js";
import { whatsappAdapter } from "./whatsapp/adapter.js";

/** Every channel's adapter; the Meta channels' adapters also drive the outbound ledger. */
export const channelAdapters = {
  web: webAdapter,
  whatsapp: whatsappAdapter,
  messenger: messengerAdapter,
} as const satisfies Record<Channel, ChannelAdapter> & Record<ChannelName, LedgerAdapter>;

/** The adapter of `channel`; an unknown name (e.g. from a stored row) is an error, never a default. */
export function channelAdapter(channel: Channel): ChannelAdapter {
  const adapter = (channelAdapters as Record<string, ChannelAdapter | undefined>)[channel];
  if (!adapter) throw new Error(`unknown channel: ${String(channel).slice(0, 40)}`);
  return adapter;
}

/** The ledger adapter of a Meta channel. */
export function ledgerAdapter(channel: ChannelName): LedgerAdapter {
  const adapter = (LEDGER as Record<string, LedgerAdapter | undefined>)[channel];
  if (!adapter) throw new Error(`unknown Meta channel: ${String(channel).slice(0, 40)}`);
  return adapter;
}

const LEDGER: Record<ChannelName, LedgerAdapter> = { whatsapp: channelAdapters.whatsapp, messenger: channelAdapters.messenger };

/** The Meta channel called `name`, or null (the web widget, anything else). */
export function ledgerChannel(name: string | null | undefined): ChannelName | null {
  return name && Object.hasOwn(LEDGER, name) ? (name as ChannelName) : null;
}

/** The Meta channels (webhooks, ledger, retry job). */
export const ledgerAdapters: readonly LedgerAdapter[] = Object.values(LEDGER);

/** The channels' names for people ("WhatsApp", "Messenger", "Web chat"). */
export const channelLabel = (channel: Channel): string => channelTraits(channel).label;

/** A conversation as the send helpers need it (lib/assistant's Conversation fits). */
export interface ConversationRef {
  channel: Channel;
  user_key: string;
  language?: string | null;
}

/** What `sender` may send in `conversation` now, and until when (for the inbox's countdown). */
export function replyWindow(services: Services, conversation: ConversationRef, sender: SenderKind): Promise<WindowAllowance> {
  return channelAdapter(conversation.channel).window(services, { userId: conversation.user_key, sender });
}

/**
 * Sends `reply` into `conversation` through its channel's adapter, once per `key`. An owner's
 * reply after 24 h goes out tagged HUMAN_AGENT where the channel allows it (Messenger, 7 days).
 * Throws only when the store is unreachable; send failures are in the report (and retried).
 */
export async function sendToConversation(
  services: Services,
  input: { conversation: ConversationRef; sender: SenderKind; reply: Reply; key: string; purpose?: "reply" | "update" },
): Promise<DeliveryReport> {
  const adapter = channelAdapter(input.conversation.channel);
  let purpose: "reply" | "update" | "human_agent" = input.purpose ?? "reply";
  if (input.sender === "owner") {
    const allowed = await adapter.window(services, { userId: input.conversation.user_key, sender: "owner" });
    if (allowed.allowed === "tag") purpose = "human_agent";
  }
  return adapter.send(services, {
    userId: input.conversation.user_key,
    sourceKey: input.key,
    reply: input.reply,
    sender: input.sender,
    lang: input.conversation.language ?? null,
    purpose,
  });
}
