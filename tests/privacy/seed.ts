/**
 * Seeds a person's data the way the app stores it (through the same SQL functions the app
 * calls), at a pinned database time, for the retention and subject tests.
 */
import type { Store } from "../../lib/store/store.js";

let seq = 0;
const next = (p: string) => `${p}-${++seq}-${Math.random().toString(36).slice(2, 8)}`;

/** A conversation with one shopper message and one reply; -> its id. */
export async function seedConversation(
  store: Store,
  o: { channel: "web" | "whatsapp" | "messenger"; userKey: string; text: string; userName?: string; contactEmail?: string; reply?: string },
): Promise<string> {
  const begin = await store.rpc<{ status: string; conversation: { id: string }; message_id: number }>("chat_turn_begin", {
    p_channel: o.channel,
    p_user_key: o.userKey,
    p_message_id: next("msg"),
    p_text: o.text,
    p_user_name: o.userName,
  });
  if (begin.status !== "ok") throw new Error(`chat_turn_begin: ${begin.status}`);
  const replyText = o.reply ?? "Bien noté.";
  await store.rpc("chat_turn_finish", {
    p_conversation_id: begin.conversation.id,
    p_reply_to: begin.message_id,
    p_text: replyText,
    p_reply: { text: replyText, products: [], buttons: [], links: [], handoff: false },
    p_language: "fr",
    p_contact_email: o.contactEmail,
  });
  return begin.conversation.id;
}

/** A lead with its submission and (when consent is given) its consent record; -> the lead id. */
export async function seedLead(
  store: Store,
  o: { email: string; name?: string; phone?: string; message?: string; conversationId?: string; consent?: boolean; channel?: string },
): Promise<string> {
  const r = await store.rpc<{ lead_id: string }>("lead_upsert", {
    p_email: o.email,
    p_name: o.name,
    p_phone: o.phone,
    p_message: o.message,
    p_source: "chat",
    p_conversation_id: o.conversationId,
    p_consent: o.consent,
    p_consent_text: o.consent === undefined ? undefined : "J'accepte de recevoir les offres de la boutique par e-mail.",
    p_consent_channel: o.channel ?? "web",
    p_consent_language: "fr",
  });
  await store.rpc("lead_crm_result", { p_lead_id: r.lead_id, p_ok: true, p_contact_id: next("wix-contact") });
  return r.lead_id;
}

/** A paid order (Stripe checkout) for `email`, linked to a conversation; -> the order id. */
export async function seedPaidOrder(store: Store, o: { email: string; conversationId?: string; channel?: string }): Promise<string> {
  const begin = await store.rpc<{ id: string }>("checkout_begin", {
    p_cart_hash: next("cart"),
    p_bucket_seconds: 60,
    p_expiry_seconds: 1800,
    p_currency: "eur",
    p_amount_total: 4500,
    p_items: [{ productId: "prod-bougie", name: "Bougie figue", unitAmount: 4500, quantity: 1 }],
    p_email: o.email,
    p_conversation_id: o.conversationId,
    p_channel: o.channel ?? "web",
  });
  const session = next("cs_test");
  await store.rpc("checkout_attach_session", { p_order_id: begin.id, p_session_id: session, p_url: `https://checkout.stripe.com/c/pay/${session}` });
  await store.rpc("checkout_apply_event", {
    p_event_id: next("evt"),
    p_type: "checkout.session.completed",
    p_session_id: session,
    p_target: "paid",
    p_amount_total: 4500,
    p_currency: "eur",
    p_email: o.email,
  });
  return begin.id;
}

/** A transcript archived in Drive for a conversation; -> the Drive file id. */
export async function seedTranscriptArchive(store: Store, conversationId: string, fileId: string): Promise<void> {
  const ref = `${conversationId}-1`;
  await store.rpc("drive_archive_claim", { p_kind: "transcript", p_ref_id: ref, p_lease_seconds: 60 });
  await store.rpc("drive_archive_done", { p_kind: "transcript", p_ref_id: ref, p_file_id: fileId, p_view_url: `https://drive.google.com/file/d/${fileId}/view`, p_download_url: "" });
}
