/**
 * Messenger webhook payloads (FACTS §2) -> inbound items. One POST may carry several entries and
 * several messaging events; each is read on its own.
 *
 * Decisions per event:
 *   message.text (with or without quick_reply)  -> the assistant (payload = quick_reply.payload)
 *   postback                                    -> the assistant (payload, text = the button title)
 *   the "Get Started" postback (GET_STARTED)    -> the assistant, as a greeting in the shop's
 *                                                  language (the payload means nothing to it)
 *   message.is_echo                             -> ignored, not even claimed (our own sends)
 *   sticker (the thumbs-up is one)              -> ignored (social, not a request)
 *   attachments without text: image/video/audio/file -> polite (media); location -> polite
 *     (location); fallback/template/other       -> polite (unsupported)
 *   reactions, reads, deliveries, referrals...  -> ignored, not claimed (not subscribed by the
 *                                                  README's setup; nothing to answer)
 */
// zod/mini, as in whatsapp/parse.ts: built at import on the acknowledgement's path.
import * as z from "zod/mini";
import type { InboundItem, InboundAction, PoliteKind } from "../types.js";

const optString = z.optional(z.string());
const messageId = z.string().check(z.minLength(1), z.maxLength(200));

const eventSchema = z.object({
  sender: z.object({ id: messageId }),
  recipient: z.optional(z.object({ id: z.string() })),
  // Milliseconds; Meta documents it as a number but some events (postbacks) carry a string.
  timestamp: z.optional(z.union([z.number(), z.pipe(z.string().check(z.regex(/^\d{1,15}$/)), z.transform(Number))])),
  message: z.optional(
    z.object({
      mid: messageId,
      text: optString,
      is_echo: z.optional(z.boolean()),
      sticker_id: z.optional(z.union([z.number(), z.string()])),
      quick_reply: z.optional(z.object({ payload: z.string() })),
      attachments: z.optional(z.array(z.object({ type: z.string() }))),
    }),
  ),
  postback: z.optional(z.object({ mid: optString, title: optString, payload: optString })),
});

const payloadSchema = z.object({
  object: z.string(),
  entry: z._default(z.array(z.object({ id: optString, messaging: z._default(z.array(z.unknown()), []) })), []),
});

export interface MessengerBatch {
  messages: InboundItem[];
  /** Events that did not match the documented shapes. */
  skipped: number;
  /** Echoes of our own messages, reactions, reads... (not claimed). */
  ignored: number;
}

const MAX_TEXT = 4096;

/** The payload of the Messenger profile's "Get Started" button (README, Messenger setup; FACTS §2). */
export const GET_STARTED_PAYLOAD = "GET_STARTED";

export interface MessengerParseOptions {
  /** Ignore events from this page itself. */
  pageId?: string | undefined;
  /** What a "Get Started" press says to the assistant (a greeting in the shop's language). */
  greeting?: string;
}

export function parseMessengerPayload(payload: unknown, opts: MessengerParseOptions = {}): MessengerBatch {
  const { pageId, greeting = "Bonjour" } = opts;
  const out: MessengerBatch = { messages: [], skipped: 0, ignored: 0 };
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success || parsed.data.object !== "page") {
    out.skipped++;
    return out;
  }
  for (const entry of parsed.data.entry) {
    for (const raw of entry.messaging) {
      const e = eventSchema.safeParse(raw);
      if (!e.success) {
        out.skipped++;
        continue;
      }
      const item = toItem(e.data, pageId, greeting);
      if (item) out.messages.push(item);
      else out.ignored++;
    }
  }
  return out;
}

type Event = z.infer<typeof eventSchema>;

function toItem(e: Event, pageId: string | undefined, greeting: string): InboundItem | null {
  const userId = e.sender.id;
  if (pageId && userId === pageId) return null; // the page itself (an echo without the flag)
  const sentAt = typeof e.timestamp === "number" && Number.isFinite(e.timestamp) ? new Date(e.timestamp).toISOString() : null;
  let messageId: string;
  let action: InboundAction = "turn";
  let polite: PoliteKind | undefined;
  let text = "";
  let payload: string | undefined;
  let type: string;

  if (e.message) {
    const m = e.message;
    if (m.is_echo) return null;
    messageId = m.mid;
    text = m.text ?? "";
    payload = m.quick_reply?.payload || undefined;
    type = m.quick_reply ? "quick_reply" : m.text ? "text" : (m.attachments?.[0]?.type ?? "unknown");
    if (!text.trim() && !payload) {
      const kind = m.attachments?.[0]?.type;
      if (m.sticker_id !== undefined) {
        action = "ignore";
        type = "sticker";
      } else if (kind === "image" || kind === "video" || kind === "audio" || kind === "file") {
        action = "polite";
        polite = "media";
      } else if (kind === "location") {
        action = "polite";
        polite = "location";
      } else {
        action = "polite";
        polite = "unsupported";
      }
    }
  } else if (e.postback) {
    // Older postbacks have no mid: the sender and the millisecond timestamp identify one.
    if (!e.postback.mid && e.timestamp === undefined) return null;
    messageId = (e.postback.mid ?? `postback:${userId}:${e.timestamp}`).slice(0, 200);
    payload = e.postback.payload || undefined;
    text = e.postback.title ?? "";
    type = "postback";
    if (payload?.trim().toUpperCase() === GET_STARTED_PAYLOAD) {
      // A first contact: greet (the button's title "Get Started" is not a request).
      type = "get_started";
      payload = undefined;
      text = greeting;
    } else if (!payload && !text.trim()) {
      action = "polite";
      polite = "unsupported";
    }
  } else return null; // reactions, reads, deliveries, optins, referrals

  return {
    channel: "messenger",
    messageId,
    userId,
    phone: null,
    name: null,
    sentAt,
    type,
    action,
    opensWindow: true,
    ...(polite ? { polite } : {}),
    inbound: { channel: "messenger", userId, messageId, text: text.slice(0, MAX_TEXT), ...(payload ? { payload } : {}) },
  };
}
