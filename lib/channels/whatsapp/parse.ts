/**
 * WhatsApp Cloud API webhook payloads (FACTS §1) -> inbound items and delivery statuses. One POST
 * may carry several entries, changes, messages and statuses; each is read on its own, and a
 * malformed one is skipped (logged by the caller) without losing the others.
 *
 * Decisions per message type:
 *   text                          -> the assistant (text)
 *   interactive button/list reply -> the assistant (payload = the reply id we sent, text = title)
 *   button (template quick reply) -> the assistant (payload = button.payload, text = button.text)
 *   image/video/document + caption-> the assistant reads the caption
 *   image/video/document/audio without caption -> a polite "text only, please" (media)
 *   location                      -> polite (location)
 *   contacts, order, interactive flows, unsupported, unknown types -> polite (unsupported)
 *   reaction                      -> ignored (a 👍 on our message is not a question; answering every
 *                                    reaction would be spam), does not open the window
 *   sticker                       -> ignored (social, not a request)
 *   system, request_welcome       -> ignored (platform notices, not the user writing)
 */
// zod/mini: the acknowledgement's path builds these at import (a cold start); classic zod's
// method chains cost several times more to build and load.
import * as z from "zod/mini";
import type { InboundItem, InboundAction, PoliteKind, StatusItem } from "../types.js";

const optString = z.optional(z.string());
const captioned = z.optional(z.object({ caption: optString }));

const contactSchema = z.object({
  profile: z.optional(z.partial(z.object({ name: optString }))),
  wa_id: optString,
  user_id: optString,
});

const messageSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  from: optString,
  from_user_id: optString,
  timestamp: optString,
  type: z.string(),
  context: z.optional(z.partial(z.object({ id: z.optional(z.string().check(z.maxLength(200))) }))),
  text: z.optional(z.object({ body: z.string() })),
  interactive: z.optional(
    z.object({
      type: z.string(),
      button_reply: z.optional(z.object({ id: z.string(), title: optString })),
      list_reply: z.optional(z.object({ id: z.string(), title: optString, description: optString })),
    }),
  ),
  button: z.optional(z.object({ payload: optString, text: optString })),
  image: captioned,
  video: captioned,
  document: captioned,
});

const statusSchema = z.object({
  id: z.string().check(z.minLength(1)),
  status: z.string(),
  timestamp: optString,
  recipient_id: optString,
  errors: z.optional(z.array(z.unknown())),
});

const valueSchema = z.object({
  metadata: z.optional(z.partial(z.object({ phone_number_id: optString }))),
  contacts: z.optional(z.array(z.unknown())),
  messages: z.optional(z.array(z.unknown())),
  statuses: z.optional(z.array(z.unknown())),
});

const payloadSchema = z.object({
  object: z.string(),
  entry: z._default(z.array(z.object({ changes: z._default(z.array(z.object({ field: optString, value: z.unknown() })), []) })), []),
});

export interface WhatsAppBatch {
  messages: InboundItem[];
  statuses: StatusItem[];
  /** Parts of the payload that did not match the documented shapes. */
  skipped: number;
  /** Messages addressed to another phone number of the account. */
  otherNumber: number;
  /** Documented statuses we do not track (`played`: a voice message was played). */
  ignoredStatuses: number;
}

/** Statuses Meta documents that say nothing the ledger needs (our sends are never voice messages). */
const IGNORED_STATUSES = new Set(["played"]);

const MAX_TEXT = 4096;
const digits = (s: string | undefined | null) => (s ? s.replace(/\D/g, "") || null : null);
const isoFromSeconds = (ts: string | undefined) => (ts && /^\d{1,12}$/.test(ts) ? new Date(Number(ts) * 1000).toISOString() : null);

/** Reads a verified payload. `phoneNumberId`: ignore messages sent to another number. */
export function parseWhatsAppPayload(payload: unknown, phoneNumberId?: string): WhatsAppBatch {
  const out: WhatsAppBatch = { messages: [], statuses: [], skipped: 0, otherNumber: 0, ignoredStatuses: 0 };
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success || parsed.data.object !== "whatsapp_business_account") {
    out.skipped++;
    return out;
  }
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes) {
      if (change.field !== undefined && change.field !== "messages") continue;
      const value = valueSchema.safeParse(change.value);
      if (!value.success) {
        out.skipped++;
        continue;
      }
      const v = value.data;
      const ours = !phoneNumberId || !v.metadata?.phone_number_id || v.metadata.phone_number_id === phoneNumberId;
      const contacts = (v.contacts ?? []).flatMap((c) => {
        const r = contactSchema.safeParse(c);
        return r.success ? [r.data] : [];
      });
      for (const raw of v.messages ?? []) {
        const m = messageSchema.safeParse(raw);
        if (!m.success) {
          out.skipped++;
          continue;
        }
        if (!ours) {
          out.otherNumber++;
          continue;
        }
        const item = toItem(m.data, contacts);
        if (item) out.messages.push(item);
        else out.skipped++;
      }
      for (const raw of v.statuses ?? []) {
        const s = statusSchema.safeParse(raw);
        if (s.success && IGNORED_STATUSES.has(s.data.status)) {
          out.ignoredStatuses++;
          continue;
        }
        if (!s.success || !["sent", "delivered", "read", "failed"].includes(s.data.status)) {
          out.skipped++;
          continue;
        }
        out.statuses.push({
          id: s.data.id,
          status: s.data.status as StatusItem["status"],
          recipientId: s.data.recipient_id ?? null,
          errors: s.data.errors ?? null,
          at: isoFromSeconds(s.data.timestamp),
        });
      }
    }
  }
  return out;
}

type Message = z.infer<typeof messageSchema>;
type Contact = z.infer<typeof contactSchema>;

function toItem(m: Message, contacts: Contact[]): InboundItem | null {
  const contact =
    contacts.find((c) => (m.from && c.wa_id === m.from) || (m.from_user_id && c.user_id === m.from_user_id)) ??
    (contacts.length === 1 ? contacts[0] : undefined);
  // The business-scoped user id (BSUID) is stable even when the number is hidden: prefer it.
  const userId = m.from_user_id ?? contact?.user_id ?? m.from ?? contact?.wa_id;
  if (!userId || userId.length > 200) return null;
  const name = contact?.profile?.name?.trim() || null;

  let action: InboundAction = "turn";
  let polite: PoliteKind | undefined;
  let text = "";
  let payload: string | undefined;
  let opensWindow = true;
  switch (m.type) {
    case "text":
      text = m.text?.body ?? "";
      break;
    case "interactive": {
      const r = m.interactive?.button_reply ?? m.interactive?.list_reply;
      if (r) {
        payload = r.id;
        text = r.title ?? "";
      } else {
        action = "polite";
        polite = "unsupported"; // e.g. a WhatsApp Flow answer (nfm_reply): not something we sent
      }
      break;
    }
    case "button":
      payload = m.button?.payload || undefined;
      text = m.button?.text ?? "";
      break;
    case "image":
    case "video":
    case "document": {
      const caption = m[m.type]?.caption?.trim();
      if (caption) text = caption;
      else {
        action = "polite";
        polite = "media";
      }
      break;
    }
    case "audio":
      action = "polite";
      polite = "media";
      break;
    case "location":
      action = "polite";
      polite = "location";
      break;
    case "reaction":
      action = "ignore";
      opensWindow = false;
      break;
    case "sticker":
      action = "ignore";
      break;
    case "system":
    case "request_welcome":
      action = "ignore";
      opensWindow = false;
      break;
    default: // contacts, order, unsupported, and types Meta adds later
      action = "polite";
      polite = "unsupported";
  }
  if (action === "turn" && !text.trim() && !payload) {
    action = "polite";
    polite = "unsupported";
  }
  return {
    channel: "whatsapp",
    messageId: m.id,
    userId,
    phone: digits(m.from ?? contact?.wa_id),
    name,
    sentAt: isoFromSeconds(m.timestamp),
    type: m.type,
    action,
    opensWindow,
    ...(polite ? { polite } : {}),
    ...(m.context?.id ? { contextId: m.context.id } : {}),
    inbound: {
      channel: "whatsapp",
      userId,
      messageId: m.id,
      text: text.slice(0, MAX_TEXT),
      ...(payload ? { payload } : {}),
      ...(name ? { userName: name } : {}),
    },
  };
}
