/**
 * One chat turn, channel-agnostic. startTurn does the database work before any answer in one
 * round trip (rate limits, conversation, the inbound message claimed by its id, mode, recent
 * history); finish() answers — with a model when one is configured and reachable, else with
 * the offline assistant — and stores the reply in a second round trip. Tools cost their own.
 *
 *   duplicate message id -> the stored reply, no second turn; none stored yet -> an empty
 *                           reply while the first attempt may still be answering (its lease:
 *                           the request budget + 5 s), then the turn runs again (a reply lost
 *                           to a store failure or a killed instance is not lost forever);
 *   human mode           -> stored, silent reply (handoff: true);
 *   duplicate message id -> the stored reply, no second turn;
 *   with a person        -> stored, silent reply (handoff: true): 'needs_human' and 'human', read
 *                           in the same statement that stores the message; and a reply written
 *                           while the owner took the conversation is dropped (turnFinish);
 *   hand-off timers      -> checked in the same round trip: a waiting shopper who writes again
 *                           after HANDOFF_WAIT_MINUTES gets the "shop will answer soon" line, an
 *                           idle hand-off is given back and the new message answered;
 *   store down           -> offline answer that says it cannot remember (nothing stored);
 *   button payloads      -> handled deterministically, never sent to a model.
 */
import { ApiError } from "../errors.js";
import { captureError } from "../integrations/sentry/index.js";
import type { Services } from "../services.js";
import { StoreError } from "../store/store.js";
import { disclosesInFirstReply, withDisclosure } from "../privacy/disclosure.js";
import { isPrivacyPayload, privacyTurnStep } from "../privacy/turn-step.js";
import { addButton, addNote, newDraft, toReply, type TurnContext } from "./context.js";
import { formatPrice } from "../money/index.js";
import { timerArgs } from "../owner/store.js";
import { turnBegin, turnFinish, type Conversation, type HistoryMessage } from "./conversation-store.js";
import { readDialogue, type DialogueState } from "./dialogue.js";
import { chooseLanguage, type Lang } from "./language.js";
import { runOffline } from "./offline/respond.js";
import { texts } from "./texts.js";
import type { InboundMessage, Reply } from "./types.js";

export type Provider = "hf" | "gemini" | "offline" | "none";

export interface TurnOptions {
  /** Receives the reply text as it is written (streaming). */
  onTextDelta?(delta: string): void;
  /** Streamed text so far must be discarded (a model failed mid-answer; another answers). */
  onReset?(): void;
  /** Runs work after the reply (owner notification, transcript archive); awaited when absent. */
  waitUntil?(promise: Promise<unknown>): void;
  /**
   * When no conversation exists for inbound.userId, start one under this key instead: a web
   * session id the server did not issue is never adopted.
   */
  fallbackUserId?: string;
  /** Counted in the same round trip as the turn start; over a limit -> ApiError rate_limited. */
  rateLimits?: { key: string; limit: number; windowSeconds: number }[];
}

export interface TurnResult {
  /** "" when the store was down (nothing remembered). */
  conversationId: string;
  reply: Reply;
  /** The user key the conversation lives under (a new web session id when fallbackUserId was used). */
  userId: string;
  /** The message id was seen before: this is the stored reply (empty while the first attempt may still be answering). */
  duplicate: boolean;
  /** False when the store was down and this turn was not stored. */
  remembered: boolean;
  provider: Provider;
}

export interface StartedTurn {
  readonly conversationId: string;
  readonly userId: string;
  /** Answers and stores the reply. Never rejects for a model or tool outage. */
  finish(opts?: Pick<TurnOptions, "onTextDelta" | "onReset">): Promise<TurnResult>;
}

const EMPTY_REPLY = (handoff: boolean): Reply => ({ text: "", products: [], buttons: [], links: [], handoff });
const MAX_ID = 200;
const ANSWER_LEASE_MARGIN_S = 5;

function check(services: Services, inbound: InboundMessage): { text: string; payload?: string } {
  if (!inbound.userId || inbound.userId.length > MAX_ID) throw new TypeError("handleTurn: userId must be 1..200 characters");
  if (!inbound.messageId || inbound.messageId.length > MAX_ID) throw new TypeError("handleTurn: messageId must be 1..200 characters");
  const text = (inbound.text ?? "").replace(/\u0000/g, "").trim().slice(0, services.config.chat.maxMessageChars);
  const payload = inbound.payload?.trim().slice(0, MAX_ID) || undefined;
  return payload ? { text, payload } : { text };
}

/** The database half of a turn: one round trip. Throws ApiError rate_limited. */
export async function startTurn(services: Services, inbound: InboundMessage, opts: TurnOptions = {}): Promise<StartedTurn> {
  const { config } = services;
  const { text, payload } = check(services, inbound);
  const deferred = opts.waitUntil ?? null;
  const pending: Promise<unknown>[] = [];
  const waitUntil = (p: Promise<unknown>) => (deferred ? deferred(p) : void pending.push(p));

  let begin;
  try {
    begin = await turnBegin(services.store, {
      channel: inbound.channel,
      userKey: inbound.userId,
      ...(opts.fallbackUserId ? { fallbackUserKey: opts.fallbackUserId } : {}),
      messageId: inbound.messageId,
      text,
      ...(payload ? { payload } : {}),
      ...(inbound.userName ? { userName: inbound.userName.slice(0, 100) } : {}),
      historyChars: config.chat.historyTokens * 4, // ~4 characters per token
      historyMax: 40,
      rateLimits: (opts.rateLimits ?? []).map((r) => ({ key: r.key, limit: r.limit, window_seconds: r.windowSeconds })),
      // The first attempt cannot outlive its request budget (+ the reply write): after that, a
      // retry whose reply was never stored is answered again instead of getting an empty reply.
      answerLeaseSeconds: config.app.requestBudgetMs / 1000 + ANSWER_LEASE_MARGIN_S,
      timers: timerArgs(services),
      ...(emailIn(text) ? { contactEmail: emailIn(text)! } : {}),
    });
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    services.log.error("chat store unavailable, answering without memory", { error: err.message });
    const userId = inbound.userId;
    return {
      conversationId: "",
      userId,
      finish: (o = {}) =>
        answer(services, { conversation: null, history: [], lastProducts: [], dialogue: readDialogue(null), messageId: null }, inbound, text, payload, { ...o, waitUntil }, userId).then(
          async (r) => (await Promise.allSettled(pending), r),
        ),
    };
  }

  if (begin.status === "rate_limited") {
    const lang = chooseLanguage(text, inbound.language, config.app.defaultLanguage);
    throw new ApiError(
      "rate_limited",
      lang === "fr"
        ? `Vous envoyez beaucoup de messages : patientez ${begin.retry_after_seconds} s avant de réessayer.`
        : `You are sending a lot of messages: please wait ${begin.retry_after_seconds} s before trying again.`,
      { retryAfterSeconds: begin.retry_after_seconds },
    );
  }
  const conversation = begin.conversation;
  const base = { conversationId: conversation.id, userId: conversation.user_key };
  if (begin.status === "duplicate") {
    const result: TurnResult = { ...base, reply: begin.reply ?? EMPTY_REPLY(conversation.mode === "human"), duplicate: true, remembered: true, provider: "none" };
    return { ...base, finish: async () => result };
  }
  const notices = (begin.notices ?? []).map((n) => n.text).filter(Boolean);
  if (conversation.mode !== "bot") {
    // With a person: silent, but for a timer's line ("the shop will answer soon"), stored already.
    const reply: Reply = { ...EMPTY_REPLY(true), text: notices.join("\n\n") };
    const result: TurnResult = { ...base, reply, duplicate: false, remembered: true, provider: "none" };
    return { ...base, finish: async () => result };
  }
  const state = {
    conversation,
    history: begin.history,
    lastProducts: begin.last_products,
    dialogue: readDialogue(begin.dialogue, begin.last_products),
    messageId: begin.message_id,
    notices,
  };
  return {
    ...base,
    finish: async (o = {}) => {
      const r = await answer(services, state, inbound, text, payload, { ...o, waitUntil }, conversation.user_key);
      await Promise.allSettled(pending);
      return r;
    },
  };
}

/** A full turn: startTurn + finish. What every channel calls. */
export async function handleTurn(
  services: Services,
  inbound: InboundMessage,
  opts: TurnOptions = {},
): Promise<TurnResult> {
  const turn = await startTurn(services, inbound, opts);
  return turn.finish({ ...(opts.onTextDelta ? { onTextDelta: opts.onTextDelta } : {}), ...(opts.onReset ? { onReset: opts.onReset } : {}) });
}

interface TurnState {
  /** Lines stored by a timer during this turn ("I'm back"), said before the answer. */
  notices?: string[];
  conversation: Conversation | null;
  history: HistoryMessage[];
  lastProducts: string[];
  dialogue: DialogueState;
  messageId: number | null;
}

/** Model text, then the server's own sentences about what the tools did (never contradicted). */
function compose(text: string, notes: string[]): string {
  let out = text.trim();
  for (const n of notes) if (!out.includes(n)) out = out ? `${out}\n\n${n}` : n;
  return out;
}

async function answer(
  services: Services,
  state: TurnState,
  inbound: InboundMessage,
  text: string,
  payload: string | undefined,
  opts: Pick<TurnOptions, "onTextDelta" | "onReset"> & { waitUntil(p: Promise<unknown>): void },
  userId: string,
): Promise<TurnResult> {
  const started = performance.now();
  const { config } = services;
  const c = state.conversation;
  const lang: Lang = chooseLanguage(text, c?.language, inbound.language, config.app.defaultLanguage);
  const ctx: TurnContext = {
    services,
    conversationId: c?.id ?? null,
    channel: inbound.channel,
    userKey: userId,
    lang,
    shopperText: [...state.history.filter((h) => h.role === "user").map((h) => h.content), text].join("\n"),
    contactEmail: c?.contact_email ?? null,
    lastProducts: state.lastProducts,
    dialogue: state.dialogue,
    draft: newDraft(),
    memo: new Map(),
    waitUntil: opts.waitUntil,
  };

  let provider: Provider = "offline";
  let body: string | null = null;
  // Privacy first (erasure requests and their confirmation, consent answers): deterministic,
  // the same with or without a model (lib/privacy/turn-step.ts).
  const privacy = await privacyTurnStep({ services, conversationId: c?.id ?? null, channel: inbound.channel, lang, text, payload, history: state.history });
  if (privacy?.kind === "erased") {
    // The conversation is gone: the confirmation is sent but not stored.
    return { conversationId: "", reply: toReply(privacy.text, ctx.draft, false), userId, duplicate: false, remembered: false, provider: "none" };
  }
  if (privacy) {
    body = privacy.text;
    for (const b of privacy.buttons) addButton(ctx.draft, b);
  }
  const useModel = body === null && !payloadKnown(payload) && !!text && c !== null && (config.hf.configured || config.gemini.configured);
  if (useModel) {
    try {
      const { runModels } = await import("./llm/run.js");
      const outcome = await runModels(ctx, {
        history: state.history,
        text,
        ...(opts.onTextDelta ? { onTextDelta: opts.onTextDelta } : {}),
        ...(opts.onReset ? { onReset: opts.onReset } : {}),
      });
      if (outcome && (outcome.text || ctx.draft.notes.length || ctx.draft.products.length)) {
        provider = outcome.provider;
        body = outcome.text;
      }
    } catch (err) {
      // The model layer itself failed (not a provider outage: those are handled inside).
      services.log.error("model routing failed, answering offline", { error: (err as Error)?.message, stack: (err as Error)?.stack });
      if (config.sentry.configured) opts.waitUntil(captureError(services, err, { route: "assistant" }));
    }
  }
  let streamedText = provider !== "offline";
  if (body === null) {
    try {
      body = await runOffline(ctx, text, payload);
    } catch (err) {
      // A bug in a tool or the offline assistant: the shopper still gets an answer; we get a report.
      services.log.error("offline assistant failed", { error: (err as Error)?.message, stack: (err as Error)?.stack });
      if (config.sentry.configured) opts.waitUntil(captureError(services, err, { route: "assistant" }));
      body = texts(lang).fallback;
    }
  }
  if (!body.trim() && ctx.draft.products.length) {
    // A model that only called tools (step limit): say what the cards are.
    body = `${texts(lang).searchResults("")}\n${ctx.draft.products.map((p) => texts(lang).line(p.name, formatPrice(p.price, p.currency, lang), p.inStock)).join("\n")}`;
  }
  if (!c) body = `${texts(lang).amnesia}\n\n${body}`;
  if (ctx.draft.catalogueDown) addNote(ctx.draft, texts(lang).catalogueDown);
  // A conversation's first reply says it comes from a virtual assistant where the channel has no
  // header saying it (EU AI Act art. 50; the channel's adapter decides).
  const composed = withDisclosure(compose(body || texts(lang).fallback, ctx.draft.notes), {
    firstReply: state.history.length === 0 && disclosesInFirstReply(inbound.channel),
    lang,
    brand: config.app.brandName,
  });
  const finalText = state.notices?.length && !opts.onTextDelta ? `${state.notices.join("\n\n")}\n\n${composed}` : composed;

  if (opts.onTextDelta) {
    // The model streamed its own words; what the server adds (or the offline answer) follows.
    if (streamedText && finalText.startsWith(body.trim()) && body.trim()) {
      const rest = finalText.slice(body.trim().length);
      if (rest) opts.onTextDelta(rest);
    } else {
      if (streamedText) opts.onReset?.();
      opts.onTextDelta(finalText);
    }
    streamedText = true;
  }

  const handoff = !!ctx.draft.handoffReason && !!c;
  const reply = toReply(finalText, ctx.draft, handoff);
  const result: TurnResult = { conversationId: c?.id ?? "", reply, userId, duplicate: false, remembered: !!c, provider };
  if (!c || state.messageId === null) return result;

  try {
    const ms = Math.round(performance.now() - started);
    const done = await turnFinish(services.store, {
      conversationId: c.id,
      replyTo: state.messageId,
      reply,
      meta: { provider, lang, tools: ctx.draft.tools, ms, ...(ctx.draft.usage ? { usage: ctx.draft.usage } : {}) },
      dialogue: remember(ctx.dialogue, reply),
      usage: ctx.draft.usage ?? null,
      latencyMs: ms,
      language: lang,
      ...(ctx.draft.leadEmail ? { contactEmail: ctx.draft.leadEmail } : {}),
      ...(ctx.draft.handoffReason ? { handoffReason: ctx.draft.handoffReason } : {}),
    });
    if (done.suppressed) {
      // The owner took the conversation while this reply was written: it is not stored, not sent.
      return { ...result, reply: EMPTY_REPLY(true) };
    }
    if (done.handoff_started) {
      // The hand-off's follow-up (owner's email and phone alert, transcript archive) is loaded
      // when a hand-off happens: a turn without one does not load the notification code.
      opts.waitUntil(
        import("./handoff.js").then(({ afterHandoff }) => afterHandoff(services, {
          conversation: { ...c, contact_email: ctx.draft.leadEmail ?? c.contact_email, user_key: c.user_key },
          seq: done.handoff_seq,
          reason: ctx.draft.handoffReason ?? "",
          lastMessage: text,
        })),
      );
    }
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    services.log.error("chat reply not stored", { conversationId: c.id, error: err.message });
  }
  return result;
}

const EMAIL = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/i;
/** The first email address of a message (lower case), if any. */
function emailIn(text: string): string | null {
  return EMAIL.exec(text)?.[0]?.toLowerCase().slice(0, 254) ?? null;
}

/** The state to keep: the cards of this reply become the list that ordinals and pronouns refer to. */
function remember(d: DialogueState, reply: Reply): DialogueState {
  const ids = reply.products.map((p) => p.id);
  if (!ids.length) return d;
  // One card out of the list on screen ("the second one"): the list stays, the card is in focus.
  if (ids.length === 1) return d.shown.includes(ids[0]!) ? { ...d, focus: ids[0]! } : { ...d, shown: ids, focus: ids[0]! };
  return { ...d, shown: ids.slice(0, 12), focus: d.focus && ids.includes(d.focus) ? d.focus : null };
}

/** Buttons the assistant offered are answered without a model. */
function payloadKnown(payload: string | undefined): boolean {
  return !!payload && (/^(buy|details|redeem|search|faq):|^(discount|human)$/.test(payload) || isPrivacyPayload(payload));
}
