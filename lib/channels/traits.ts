/**
 * What each channel is, as data: the facts other modules read without sending anything (the
 * system prompt's place, coupon cool-down keys, the AI disclosure, labels). Each adapter carries
 * its channel's traits; importing this module loads no adapter, so a route that only needs to
 * know about a channel (the web chat's turn) does not load the sending code of every channel.
 */
import type { Channel } from "../assistant/types.js";

export interface ChannelTraits {
  readonly name: Channel;
  /** The channel's name for people ("WhatsApp"). */
  readonly label: string;
  /** Where the shopper is talking, as the assistant's system prompt says it. */
  readonly promptPlace: string;
  /**
   * Whether the channel's user key identifies a person across conversations (a WhatsApp number
   * or BSUID, a Messenger PSID) and may be shown to the owner or key a coupon cool-down; a web
   * session id does not (showing it would let anyone continue the chat).
   */
  readonly userKeyIdentifies: boolean;
  /**
   * Where the shopper learns they are talking to an AI (EU AI Act art. 50): the web widget says
   * it in its header (always visible); WhatsApp and Messenger in the conversation's first reply.
   */
  readonly aiDisclosure: "header" | "first_reply";
}

export const CHANNEL_TRAITS = {
  web: { name: "web", label: "Web chat", promptPlace: "the shop's website", userKeyIdentifies: false, aiDisclosure: "header" },
  whatsapp: { name: "whatsapp", label: "WhatsApp", promptPlace: "whatsapp", userKeyIdentifies: true, aiDisclosure: "first_reply" },
  messenger: { name: "messenger", label: "Messenger", promptPlace: "messenger", userKeyIdentifies: true, aiDisclosure: "first_reply" },
} as const satisfies Record<Channel, ChannelTraits>;

/** The traits of `channel`; an unknown name (e.g. from a stored row) is an error, never a default. */
export function channelTraits(channel: Channel): ChannelTraits {
  const traits = (CHANNEL_TRAITS as Record<string, ChannelTraits | undefined>)[channel];
  if (!traits) throw new Error(`unknown channel: ${String(channel).slice(0, 40)}`);
  return traits;
}
