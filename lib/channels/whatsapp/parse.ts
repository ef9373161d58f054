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
import * as z from "zod";
import type { InboundItem, InboundAction, PoliteKind, StatusItem } from "../types.js";

const contactSchema = z.object({
  profile: z.object({ name: z.string().optional() }).partial().optional(),
  wa_id: z.string().optional(),
  user_id: z.string().optional(),
});

const messageSchema = z.object({
  id: z.string().min(1).max(200),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  timestamp: z.string().optional(),
  type: z.string(),
  context: z.object({ id: z.string().max(200).optional() }).partial().optional(),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({
      type: z.string(),
      button_reply: z.object({ id: z.string(), title: z.string().optional() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string().optional(), description: z.string().optional() }).optional(),
    })
    .optional(),
  button: z.object({ payload: z.string().optional(), text: z.string().optional() }).optional(),
  image: z.object({ caption: z.string().optional() }).optional(),
  video: z.object({ caption: z.string().optional() }).optional(),
  document: z.object({ caption: z.string().optional() }).optional(),
});

const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  timestamp: z.string().optional(),
  recipient_id: z.string().optional(),
  errors: z.array(z.unknown()).optional(),
});

const valueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string().optional() }).partial().optional(),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

const payloadSchema = z.object({
  object: z.string(),
  entry: z.array(z.object({ changes: z.array(z.object({ field: z.string().optional(), value: z.unknown() })).default([]) })).default([]),
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
