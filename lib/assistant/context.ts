/**
 * The state of one chat turn shared by the tools, the model loop and the offline assistant:
 * who is talking, in which language, what the shopper typed (the only source of email
 * addresses the tools accept), and the reply being built (cards, buttons, links, hand-off).
 */
import type { Services } from "../services.js";
import type { DialogueState } from "./dialogue.js";
import type { Lang } from "./language.js";
import type { Channel, Reply, ReplyButton, ReplyCoupon, ReplyLink, ReplyProduct } from "./types.js";

export const MAX_CARDS = 6;
export const MAX_BUTTONS = 6;

export interface ReplyDraft {
  products: ReplyProduct[];
  buttons: ReplyButton[];
  links: ReplyLink[];
  coupon?: ReplyCoupon;
  /** Set by handoff_to_human: the reason, stored when the turn ends. */
  handoffReason?: string;
  /** Model usage of this turn (tokens), when a model answered. */
  usage?: { input: number; output: number };
  /** An email the shopper gave and that was captured as a lead in this turn. */
  leadEmail?: string;
  /** Tools called in this turn (names and outcomes, no personal data) for the message's meta. */
  tools: ToolTrace[];
  /** The catalogue was unreachable during this turn. */
  catalogueDown?: boolean;
  /**
   * Sentences the server writes itself about what a tool did (the real offer, the verified
   * total, the hand-off): added to a model's reply so its wording can never misstate them.
   */
  notes: string[];
}

/** A tool call of this turn: its name, outcome and (no personal data) the arguments that matter. */
export interface ToolTrace {
  name: string;
  status: string;
  args?: Record<string, unknown>;
}

export interface TurnContext {
  services: Services;
  /** null when the store is down (nothing is remembered, side effects are refused). */
  conversationId: string | null;
  channel: Channel;
  userKey: string;
  lang: Lang;
  /** The shopper's current message and earlier messages (for the email policy). */
  shopperText: string;
  /** The email known for this conversation (an earlier lead), if any. */
  contactEmail: string | null;
  /** Product ids on the last reply that showed products ("je le prends"). */
  lastProducts: string[];
  /** What the conversation remembers (shown products, focus, last search, pending question); saved at the end of the turn. */
  dialogue: DialogueState;
  draft: ReplyDraft;
  /** Side-effect tools run once per turn whatever the model repeats. */
  memo: Map<string, Promise<unknown>>;
  waitUntil(promise: Promise<unknown>): void;
}

export function newDraft(): ReplyDraft {
  return { products: [], buttons: [], links: [], tools: [], notes: [] };
}

export function addProducts(draft: ReplyDraft, cards: ReplyProduct[], replace = false): void {
  const list = replace ? [] : draft.products.filter((p) => !cards.some((c) => c.id === p.id));
  draft.products = [...list, ...cards].slice(-MAX_CARDS);
}

export function addButton(draft: ReplyDraft, b: ReplyButton): void {
  if (draft.buttons.some((x) => x.payload === b.payload)) return;
  draft.buttons.push(b);
  if (draft.buttons.length > MAX_BUTTONS) draft.buttons.splice(0, draft.buttons.length - MAX_BUTTONS);
}

export function addLink(draft: ReplyDraft, l: ReplyLink): void {
  if (!draft.links.some((x) => x.url === l.url)) draft.links.push(l);
}

export function toReply(text: string, draft: ReplyDraft, handoff: boolean): Reply {
  return {
    text,
    products: draft.products,
    buttons: draft.buttons,
    links: draft.links,
    handoff,
    ...(draft.coupon ? { coupon: draft.coupon } : {}),
  };
}

export function addNote(draft: ReplyDraft, note: string): void {
  if (!draft.notes.includes(note)) draft.notes.push(note);
}

/** Runs `fn` once per key in this turn; later calls get the first result. */
export function once<T>(ctx: TurnContext, key: string, fn: () => Promise<T>): Promise<T> {
  let p = ctx.memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = fn();
    ctx.memo.set(key, p);
  }
  return p;
}
