/** Typed calls to the owner's SQL functions (supabase/migrations/*_owner_inbox.sql). */
import type { Channel } from "../assistant/types.js";
import { HUMAN_AGENT_WINDOW_HOURS, STANDARD_WINDOW_HOURS } from "../channels/window.js";
import type { Services } from "../services.js";
import type { Store } from "../store/store.js";
import { SESSION_IDLE_SECONDS } from "./tokens.js";
import { authorName, shopperLines, type Lines } from "./texts.js";

export type ConversationStatus = "bot" | "needs_human" | "human" | "closed";
export const STATUSES: readonly ConversationStatus[] = ["needs_human", "human", "bot", "closed"];
export type Delivery = "sent" | "template" | "email" | "stored";

export interface InboxMessage {
  id: number;
  from: "shopper" | "assistant" | "owner" | "system";
  text: string;
  at: string;
  products: unknown[];
  links: { kind?: string; url: string; title?: string }[];
  delivery?: Delivery | null;
  /** Messages the shop says: the key their sends use on the shopper's channel (sent once per key). */
  key?: string;
}

export interface ConversationSummary {
  id: string;
  ref: number;
  channel: Channel;
  status: ConversationStatus;
  waitingSince: string | null;
  lastMessage: { from: string; text: string; at: string } | null;
  customer: { name: string | null; email: string | null; phone: string | null };
  updatedAt: string;
}

/** A conversation as chat_conversation_json gives it (the shopper's address on their channel). */
export interface ConversationRow {
  id: string;
  ref: number;
  channel: Channel;
  user_key: string;
  mode: ConversationStatus;
  language: "fr" | "en" | null;
  user_name: string | null;
  contact_email: string | null;
}

/** Messages a state change or a timer leaves for the shopper's channel. */
export interface ShopperEvent {
  kind: "idle" | "wait" | "release" | "close" | "reply";
  conversation: ConversationRow;
  messages: InboxMessage[];
}

/** What the SQL needs to know about the channels' reply windows (see owner_delivery). */
export function deliveryPolicy(services: Pick<Services, "config">) {
  const { whatsapp, messenger, owner } = services.config;
  return {
    web: { away_seconds: WEB_AWAY_SECONDS },
    whatsapp: { configured: whatsapp.configured, free_hours: STANDARD_WINDOW_HOURS, template: !!(owner.replyTemplate ?? whatsapp.templateName) }, // as the WhatsApp adapter's templateOf(owner)
    messenger: { configured: messenger.configured, free_hours: STANDARD_WINDOW_HOURS, tag_hours: HUMAN_AGENT_WINDOW_HOURS },
  };
}

/** A web shopper whose widget has not asked for news for this long has left (their reply also goes by email). */
export const WEB_AWAY_SECONDS = 60;

export function timerArgs(services: Pick<Services, "config">) {
  const { owner, app } = services.config;
  return { wait_minutes: owner.waitMinutes, idle_hours: owner.idleHours, lines: shopperLines(services.config), default_lang: app.defaultLanguage };
}

const auth = (tokenHash: string) => ({ p_token_hash: tokenHash, p_idle_seconds: SESSION_IDLE_SECONDS });
const lineArgs = (services: Pick<Services, "config">): { p_lines: Lines; p_default_lang: string } => ({
  p_lines: shopperLines(services.config),
  p_default_lang: services.config.app.defaultLanguage,
});

type Result<T> = T | { error: string };

export function inboxList(services: Services, tokenHash: string, a: { status?: ConversationStatus; query?: string; limit?: number }) {
  return services.store.rpc<Result<{ conversations: ConversationSummary[]; counts: Record<ConversationStatus, number>; events: ShopperEvent[] }>>("owner_inbox", {
    ...auth(tokenHash),
    p_status: a.status ?? null,
    p_query: a.query ?? null,
    p_limit: a.limit ?? 50,
    p_timers: timerArgs(services),
  });
}

export function conversationView(store: Store, tokenHash: string, id: string) {
  return store.rpc<Result<{ conversation: ConversationSummary & Record<string, unknown>; messages: InboxMessage[]; scoped: boolean }>>("owner_conversation", {
    ...auth(tokenHash),
    p_conversation_id: id,
  });
}

export interface ReplyResult {
  message: InboxMessage;
  messages: InboxMessage[];
  delivery: Delivery;
  tag: boolean;
  conversation: ConversationRow;
}

export function reply(services: Services, tokenHash: string, id: string, text: string) {
  return services.store.rpc<Result<ReplyResult>>("owner_reply", {
    ...auth(tokenHash),
    p_conversation_id: id,
    p_text: text,
    p_author: authorName(services.config),
    p_policy: deliveryPolicy(services),
    ...lineArgs(services),
  });
}

export interface StateResult {
  changed: boolean;
  conversation: ConversationSummary;
  event: ShopperEvent | null;
}

export function changeState(services: Services, tokenHash: string, id: string, action: "release" | "close") {
  return services.store.rpc<Result<StateResult>>("owner_state", { ...auth(tokenHash), p_conversation_id: id, p_action: action, ...lineArgs(services) });
}

export function saveNote(store: Store, tokenHash: string, id: string, note: string) {
  return store.rpc<Result<{ note: string | null }>>("owner_note", { ...auth(tokenHash), p_conversation_id: id, p_note: note });
}

export function quickReplies(store: Store, tokenHash: string, items?: string[]) {
  return store.rpc<Result<{ quickReplies: string[]; saved: boolean }>>("owner_quick_replies", { ...auth(tokenHash), p_items: items ?? null });
}

export interface LeadRow {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  message: string | null;
  source: string | null;
  conversationId: string | null;
  consent: boolean;
  submissions: number;
  createdAt: string;
  updatedAt: string;
}

export function leads(store: Store, tokenHash: string, a: { query?: string; limit?: number }) {
  return store.rpc<Result<{ leads: LeadRow[] }>>("owner_leads", { ...auth(tokenHash), p_query: a.query ?? null, p_limit: a.limit ?? 100 });
}

export interface OrderRow {
  id: string;
  status: string;
  amountMinor: number;
  currency: string;
  channel: Channel | null;
  conversationId: string | null;
  email: string | null;
  items: unknown[];
  createdAt: string;
  paidAt: string | null;
}

export function orders(store: Store, tokenHash: string, a: { status?: string; limit?: number }) {
  return store.rpc<Result<{ orders: OrderRow[] }>>("owner_orders", { ...auth(tokenHash), p_status: a.status ?? null, p_limit: a.limit ?? 100 });
}

export function whoami(store: Store, tokenHash: string) {
  return store.rpc<{ status: "ok" | "unauthorized"; email?: string; scope?: string | null; ref?: number | null }>("owner_whoami", auth(tokenHash));
}

export function logout(store: Store, tokenHash: string, all: boolean) {
  return store.rpc<{ ended: number }>("owner_logout", { p_token_hash: tokenHash, p_all: all });
}
