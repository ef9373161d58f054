/**
 * lib/assistant — the channel-agnostic brain. `handleTurn(services, inbound)` takes an
 * InboundMessage from any channel and returns a Reply: conversation memory in Postgres
 * (turn.ts, conversation-store.ts), model routing HF -> Gemini -> offline (llm/, loaded
 * lazily), the tools with their server-side policies (tools/), the offline assistant
 * (offline/), French/English (language.ts, texts.ts), hand-off follow-ups (handoff.ts, loaded
 * when a hand-off happens).
 */
import type { Services } from "../services.js";
import { conversationGet, conversationRelease, conversationTranscript, isConversationId, type Conversation } from "./conversation-store.js";
import type { Channel } from "./types.js";

export * from "./types.js";
export { handleTurn, startTurn, type TurnOptions, type TurnResult, type StartedTurn, type Provider } from "./turn.js";
export { detectLanguage, chooseLanguage, type Lang } from "./language.js";
export type { Conversation, HistoryMessage, TranscriptMessage } from "./conversation-store.js";

/** A conversation by id (null when unknown or not an id). */
export async function getConversation(services: Services, conversationId: string): Promise<Conversation | null> {
  if (!isConversationId(conversationId)) return null;
  return conversationGet(services.store, { id: conversationId });
}

/** The conversation of a channel user (web: the session id), or null. */
export function getConversationByUser(services: Services, channel: Channel, userId: string): Promise<Conversation | null> {
  return conversationGet(services.store, { channel, userKey: userId });
}

/** Its messages, oldest first (the owner's view, transcripts). */
export async function getConversationTranscript(services: Services, conversationId: string, limit = 200) {
  if (!isConversationId(conversationId)) return null;
  return conversationTranscript(services.store, conversationId, limit);
}

/**
 * Gives a handed-off conversation back to the bot. -> {released} (false when it was already
 * with the bot), or null for an unknown conversation.
 */
export async function releaseConversation(services: Services, conversationId: string): Promise<{ released: boolean; conversation: Conversation } | null> {
  if (!isConversationId(conversationId)) return null;
  return conversationRelease(services.store, conversationId);
}
