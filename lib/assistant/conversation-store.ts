/** Typed calls to the conversation SQL functions (supabase/migrations/*_assistant.sql). */
import type { Store } from "../store/store.js";
import type { Channel, Reply } from "./types.js";

/** bot -> needs_human (hand-off) -> human (the owner answered) -> bot (given back) | closed. */
export type ConversationMode = "bot" | "needs_human" | "human" | "closed";

export interface Conversation {
  id: string;
  channel: Channel;
  user_key: string;
  /** Short reference for the owner ("#12"). */
  ref: number;
  mode: ConversationMode;
  language: "fr" | "en" | null;
  user_name: string | null;
  contact_email: string | null;
  handoff_count: number;
  handoff_at: string | null;
  handoff_reason: string | null;
  waiting_since: string | null;
  created_at: string;
  updated_at: string;
}

export interface HistoryMessage { role: "user" | "assistant"; content: string }

export type TurnBegin =
  | { status: "rate_limited"; retry_after_seconds: number }
  | { status: "duplicate"; conversation: Conversation; reply: Reply | null }
  | {
      status: "ok";
      conversation: Conversation;
      message_id: number;
      history: HistoryMessage[];
      last_products: string[];
      /** Lines a hand-off timer stored while this message came in ("I'm back", "the shop will answer soon"). */
      notices: { kind: "idle" | "wait"; text: string }[];
      /** The message was stored by an earlier attempt whose reply never was; it is answered again. */
      retry?: boolean;
    };

export interface TurnBeginArgs {
  channel: Channel;
  userKey: string;
  fallbackUserKey?: string;
  messageId: string;
  text: string;
  payload?: string;
  userName?: string;
  historyChars: number;
  historyMax: number;
  rateLimits: { key: string; limit: number; window_seconds: number }[];
  /** How long this attempt owns the answer to the message; a retry after it expires with no stored reply answers again. */
  answerLeaseSeconds: number;
  /** An email address in the message: kept as the contact while a person has the conversation. */
  contactEmail?: string;
  /** The hand-off timers (lib/owner/store.ts timerArgs). */
  timers: { wait_minutes: number; idle_hours: number; lines: unknown; default_lang: string };
}

export function turnBegin(store: Store, a: TurnBeginArgs): Promise<TurnBegin> {
  return store.rpc<TurnBegin>("chat_turn_begin", {
    p_channel: a.channel,
    p_user_key: a.userKey,
    p_message_id: a.messageId,
    p_text: a.text,
    p_payload: a.payload,
    p_user_name: a.userName,
    p_fallback_user_key: a.fallbackUserKey,
    p_history_chars: a.historyChars,
    p_history_max: a.historyMax,
    p_rate_limits: a.rateLimits,
    p_answer_lease_seconds: Math.ceil(a.answerLeaseSeconds),
    p_wait_minutes: a.timers.wait_minutes,
    p_idle_hours: a.timers.idle_hours,
    p_lines: a.timers.lines,
    p_default_lang: a.timers.default_lang,
    p_contact_email: a.contactEmail,
  });
}

/** suppressed: the conversation left the bot while the reply was written; nothing was stored. */
export interface TurnFinish { message_id: number | null; mode: ConversationMode; handoff_started: boolean; handoff_seq: number; suppressed: boolean }

export function turnFinish(
  store: Store,
  a: { conversationId: string; replyTo: number; reply: Reply; meta: Record<string, unknown>; language: string; contactEmail?: string; handoffReason?: string },
): Promise<TurnFinish> {
  return store.rpc<TurnFinish>("chat_turn_finish", {
    p_conversation_id: a.conversationId,
    p_reply_to: a.replyTo,
    p_text: a.reply.text,
    p_reply: a.reply,
    p_meta: a.meta,
    p_language: a.language,
    p_contact_email: a.contactEmail,
    p_handoff_reason: a.handoffReason,
  });
}

export function conversationGet(store: Store, by: { id: string } | { channel: Channel; userKey: string }): Promise<Conversation | null> {
  return store.rpc<Conversation | null>(
    "chat_conversation_get",
    "id" in by ? { p_conversation_id: by.id } : { p_channel: by.channel, p_user_key: by.userKey },
  );
}

export function conversationRelease(store: Store, id: string): Promise<{ released: boolean; conversation: Conversation } | null> {
  return store.rpc("chat_release", { p_conversation_id: id });
}

export interface TranscriptMessage {
  role: "user" | "assistant" | "owner" | "system";
  content: string;
  payload: string | null;
  reply: Reply | null;
  meta: Record<string, unknown>;
  created_at: string;
}

export function conversationTranscript(store: Store, id: string, limit = 200): Promise<{ conversation: Conversation; messages: TranscriptMessage[] } | null> {
  return store.rpc("chat_transcript", { p_conversation_id: id, p_limit: limit });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isConversationId = (id: string) => UUID.test(id);
