/**
 * The inbox's operations, each one SQL round trip before the answer (the session is checked in
 * the same call); what must reach the shopper (the owner's reply, a "back to the assistant"
 * line, a timer's line) goes after the response through `deliverToShopper`.
 */
import { ApiError } from "../errors.js";
import type { Services } from "../services.js";
import { ownerResult } from "./auth.js";
import { deliverEvents, deliverToShopper } from "./delivery.js";
import * as store from "./store.js";
import type { ConversationStatus, Delivery, InboxMessage } from "./store.js";

type Defer = (p: Promise<unknown>) => void;

export async function listConversations(services: Services, tokenHash: string, q: { status?: ConversationStatus; query?: string; limit?: number }, defer: Defer) {
  const r = ownerResult(await store.inboxList(services, tokenHash, q));
  if (r.events.length) defer(deliverEvents(services, r.events));
  return { conversations: r.conversations, counts: r.counts };
}

export async function viewConversation(services: Services, tokenHash: string, id: string) {
  return ownerResult(await store.conversationView(services.store, tokenHash, id));
}

export async function replyToConversation(services: Services, tokenHash: string, id: string, text: string, defer: Defer): Promise<{ message: InboxMessage; delivery: Delivery }> {
  const r = ownerResult(await store.reply(services, tokenHash, id, text));
  defer(deliverToShopper(services, r.conversation, r.messages, { delivery: r.delivery, sender: "owner" }));
  return { message: r.message, delivery: r.delivery };
}

export async function changeConversationState(services: Services, tokenHash: string, id: string, action: "release" | "close", defer: Defer) {
  const r = ownerResult(await store.changeState(services, tokenHash, id, action));
  if (r.event) defer(deliverEvents(services, [r.event]));
  return { conversation: r.conversation, changed: r.changed };
}

export async function saveNote(services: Services, tokenHash: string, id: string, note: string) {
  return ownerResult(await store.saveNote(services.store, tokenHash, id, note));
}

export const DEFAULT_QUICK_REPLIES = {
  fr: [
    "Bonjour ! Je regarde cela tout de suite.",
    "Merci pour votre patience, je reviens vers vous dans quelques minutes.",
    "C'est en stock : je peux vous le mettre de côté.",
    "Pouvez-vous me donner votre numéro de commande ?",
    "Je vous rends la main avec l'assistant. Bonne journée !",
  ],
  en: [
    "Hello! I'm looking into it right now.",
    "Thank you for your patience, I'll be back to you in a few minutes.",
    "It's in stock: I can put it aside for you.",
    "Could you give me your order number?",
    "I'm handing you back to the assistant. Have a nice day!",
  ],
} as const;

export async function getQuickReplies(services: Services, tokenHash: string, items?: string[]) {
  const r = ownerResult(await store.quickReplies(services.store, tokenHash, items));
  return { quickReplies: r.saved ? r.quickReplies : [...DEFAULT_QUICK_REPLIES[services.config.app.defaultLanguage]] };
}

/** Minor units -> an exact decimal string ("1990" EUR -> "19.90"; zero-decimal currencies stay whole). */
export function minorToDecimal(amount: number, currency: string): string {
  const digits = ZERO_DECIMAL.has(currency.toLowerCase()) ? 0 : 2;
  if (!Number.isSafeInteger(amount)) throw new ApiError("internal", "amount out of range");
  const sign = amount < 0 ? "-" : "";
  const abs = String(Math.abs(amount)).padStart(digits + 1, "0");
  return digits ? `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}` : `${sign}${abs}`;
}
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);

export async function listOrders(services: Services, tokenHash: string, q: { status?: string; limit?: number }) {
  const r = ownerResult(await store.orders(services.store, tokenHash, q));
  return {
    orders: r.orders.map(({ amountMinor, ...o }) => ({ ...o, amount: minorToDecimal(Number(amountMinor), o.currency), currency: o.currency.toUpperCase() })),
  };
}

export async function listLeads(services: Services, tokenHash: string, q: { query?: string; limit?: number }) {
  return ownerResult(await store.leads(services.store, tokenHash, q));
}

/** RFC 4180 CSV; a cell starting with = + - @ is prefixed with ' so spreadsheets do not run it. */
export function leadsCsv(leads: store.LeadRow[]): string {
  const cell = (v: unknown) => {
    let s = v === null || v === undefined ? "" : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const head = ["email", "name", "phone", "message", "source", "consent", "submissions", "created_at", "updated_at", "conversation_id"];
  const rows = leads.map((l) => [l.email, l.name, l.phone, l.message, l.source, l.consent, l.submissions, l.createdAt, l.updatedAt, l.conversationId].map(cell).join(","));
  return `${[head.join(","), ...rows].join("\r\n")}\r\n`;
}
