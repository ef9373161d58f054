/**
 * Meta webhook payloads in the documented shapes (FACTS §1 WhatsApp Cloud API, §2 Messenger),
 * signed like Meta signs them, and the env the channel tests run with.
 */
import { signMetaBody } from "../../lib/channels/signature.js";
import { req } from "../helpers/services.js";

export const APP_SECRET = "meta-app-secret-for-tests";
export const WA_PHONE_NUMBER_ID = "106540352242922";
export const WA_TOKEN = "EAAG-wa-system-user-token";
export const MS_PAGE_ID = "112233445566778";
export const MS_PAGE_TOKEN = "EAAG-page-token";

export const META_ENV = {
  META_APP_SECRET: APP_SECRET,
  WHATSAPP_ACCESS_TOKEN: WA_TOKEN,
  WHATSAPP_PHONE_NUMBER_ID: WA_PHONE_NUMBER_ID,
  WHATSAPP_VERIFY_TOKEN: "wa-verify-token-123",
  MESSENGER_PAGE_ACCESS_TOKEN: MS_PAGE_TOKEN,
  MESSENGER_PAGE_ID: MS_PAGE_ID,
  MESSENGER_VERIFY_TOKEN: "ms-verify-token-456",
  // Fast inline retries, and a breaker that stays closed unless a test wants it open.
  HTTP_RETRY_ATTEMPTS: "2",
  HTTP_RETRY_BASE_DELAY_MS: "1",
  HTTP_RETRY_MAX_DELAY_MS: "5",
  WHATSAPP_CB_FAILURE_THRESHOLD: "1000",
  MESSENGER_CB_FAILURE_THRESHOLD: "1000",
} as const;

let seq = 0;
/** A fresh wamid-like id. */
export const wamid = () => `wamid.HBgLMzM2MTIzNDU2NzgVAgASGBQz${(++seq).toString(36).toUpperCase()}${Date.now().toString(36).toUpperCase()}`;
export const mid = () => `m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_${(++seq).toString(36)}${Date.now().toString(36)}`;
/** Unix seconds, as WhatsApp sends them (strings). */
export const nowSeconds = (offsetSeconds = 0) => String(Math.floor(Date.now() / 1000) + offsetSeconds);

export interface WaContact {
  wa_id?: string;
  user_id?: string;
  name?: string;
}

/** `{object: whatsapp_business_account, entry: [{changes: [{field: messages, value}]}]}` */
export function waPayload(values: Record<string, unknown>[]): Record<string, unknown> {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: values.map((v) => ({
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "15550783881", phone_number_id: WA_PHONE_NUMBER_ID },
            ...v,
          },
        })),
      },
    ],
  };
}

export function waContact(c: WaContact) {
  return { profile: { name: c.name ?? "Sheena" }, ...(c.wa_id ? { wa_id: c.wa_id } : {}), ...(c.user_id ? { user_id: c.user_id } : {}) };
}

/** A value with messages from one contact. */
export function waMessages(contact: WaContact, messages: Record<string, unknown>[]): Record<string, unknown> {
  return {
    contacts: [waContact(contact)],
    messages: messages.map((m) => ({ ...(contact.wa_id ? { from: contact.wa_id } : {}), timestamp: nowSeconds(), ...m })),
  };
}

export const waText = (body: string, id = wamid()) => ({ id, type: "text", text: { body } });
export const waButtonReply = (replyId: string, title: string, id = wamid()) => ({
  id,
  type: "interactive",
  context: { from: "15550783881", id: "wamid.ours" },
  interactive: { type: "button_reply", button_reply: { id: replyId, title } },
});
export const waListReply = (rowId: string, title: string, id = wamid()) => ({
  id,
  type: "interactive",
  interactive: { type: "list_reply", list_reply: { id: rowId, title, description: "24,90 €" } },
});
export const waTemplateButton = (payload: string, text: string, id = wamid()) => ({ id, type: "button", button: { payload, text } });
export const waImage = (caption?: string, id = wamid()) => ({
  id,
  type: "image",
  image: { id: "1479537139650973", mime_type: "image/jpeg", sha256: "Wb3qvtC0Kf2Lcqk5vxQf5zBr4n5Sgv3F6ydm0n5FP7Q=", ...(caption ? { caption } : {}) },
});

export function waStatus(id: string, status: "sent" | "delivered" | "read" | "failed", recipient = "33612345678", extra: Record<string, unknown> = {}) {
  return {
    id,
    status,
    timestamp: nowSeconds(),
    recipient_id: recipient,
    ...(status === "failed"
      ? { errors: [{ code: 131026, title: "Message undeliverable", message: "Message undeliverable", error_data: { details: "Receiver is incapable of receiving this message" } }] }
      : { pricing: { billable: true, pricing_model: "PMP", category: "service" } }),
    ...extra,
  };
}

/** `{object: page, entry: [{id, time, messaging: [...]}]}` */
export function msPayload(events: Record<string, unknown>[]): Record<string, unknown> {
  return { object: "page", entry: [{ id: MS_PAGE_ID, time: Date.now(), messaging: events }] };
}

export function msMessage(psid: string, message: Record<string, unknown>) {
  return { sender: { id: psid }, recipient: { id: MS_PAGE_ID }, timestamp: Date.now(), message: { mid: mid(), ...message } };
}

export function msPostback(psid: string, payload: string, title: string) {
  return { sender: { id: psid }, recipient: { id: MS_PAGE_ID }, timestamp: Date.now(), postback: { mid: mid(), title, payload } };
}

/** A POST as Meta sends it: the raw JSON body and its X-Hub-Signature-256. */
export function signedPost(path: string, payload: unknown, opts: { signature?: string | null; secret?: string } = {}): Request {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const signature = opts.signature === undefined ? signMetaBody(body, opts.secret ?? APP_SECRET) : opts.signature;
  return req(path, { method: "POST", body, headers: signature === null ? {} : { "x-hub-signature-256": signature } });
}
