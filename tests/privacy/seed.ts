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

/** Raw SQL on either test backend (PGlite or a real PostgreSQL server). */
export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

export function rawQuery(store: Store): Query {
  const s = store as unknown as { db?: { query(sql: string, p?: unknown[]): Promise<{ rows: unknown[] }> }; sql?: { unsafe(sql: string, p?: unknown[]): Promise<unknown[]> } };
  if (s.db) return async (sql, params = []) => (await s.db!.query(sql, params)).rows as Record<string, unknown>[];
  if (s.sql) return async (sql, params = []) => (await s.sql!.unsafe(sql, params as never[])) as unknown as Record<string, unknown>[];
  throw new Error("rawQuery: unknown store");
}

export interface Person {
  email: string;
  /** E.164 */
  phone: string;
  /** WhatsApp wa_id (the phone's digits) */
  waId: string;
  psid: string;
  session: string;
  name: string;
  /** Something only this person wrote (their street address). */
  phrase: string;
  quoteId: string;
}

export interface SeededPerson {
  web: string;
  whatsapp: string;
  messenger: string;
  leadId: string;
  orderId: string;
}

/**
 * One person seen on the web widget, WhatsApp and Messenger, with a lead (consent given), a
 * coupon offer, a paid order, a quote, owner notifications about them, channel ledgers and
 * statuses, rate-limit windows, the demo shop's contact and a Drive transcript.
 */
export async function seedPerson(store: Store, p: Person): Promise<SeededPerson> {
  const web = await seedConversation(store, { channel: "web", userKey: p.session, text: `Livrez au ${p.phrase}, merci`, contactEmail: p.email });

  const waMsg = next("wamid.in");
  await store.rpc("channel_ingest", {
    p_channel: "whatsapp",
    p_messages: [{ message_id: waMsg, user_id: p.waId, phone: p.waId, name: p.name, action: "turn", opens_window: true,
      message: { type: "text", inbound: { channel: "whatsapp", userId: p.waId, messageId: waMsg, text: `Je suis au ${p.phrase}` } } }],
  });
  const whatsapp = await seedConversation(store, { channel: "whatsapp", userKey: p.waId, text: `Je suis au ${p.phrase}`, userName: p.name });
  const out = next("wamid.out");
  await store.rpc("channel_outbound_begin", {
    p_channel: "whatsapp", p_user_id: p.waId, p_source_key: waMsg,
    p_parts: [{ kind: "text", body: { type: "text", text: { body: `Merci ${p.name}, c'est noté pour le ${p.phrase}.` } } }],
    p_work_message_id: waMsg,
  });
  const rows = await rawQuery(store)("select id from channel_outbound where user_id = $1", [p.waId]);
  await store.rpc("channel_outbound_finish", { p_results: rows.map((r) => ({ id: r.id, status: "sent", provider_message_id: out, sent_as: "free_form" })) });
  await store.rpc("channel_ingest", {
    p_channel: "whatsapp",
    p_statuses: [{ id: out, status: "delivered", recipient_id: p.waId, at: new Date().toISOString() }],
  });

  const msMsg = next("mid");
  await store.rpc("channel_ingest", {
    p_channel: "messenger",
    p_messages: [{ message_id: msMsg, user_id: p.psid, name: p.name, action: "turn", opens_window: true,
      message: { type: "text", inbound: { channel: "messenger", userId: p.psid, messageId: msMsg, text: "Bonjour" } } }],
  });
  const messenger = await seedConversation(store, { channel: "messenger", userKey: p.psid, text: `Mon e-mail : ${p.email}`, contactEmail: p.email });

  // The dialogue state of her Messenger conversation: an order question waiting with her email.
  await rawQuery(store)("insert into chat_dialogue (conversation_id, state, updated_at) values ($1, $2::jsonb, now())", [
    messenger, JSON.stringify({ shown: [], focus: null, search: null, pending: { kind: "order_email", email: p.email } }),
  ]);

  const leadId = await seedLead(store, { email: p.email, name: p.name, phone: p.phone, message: `Rappelez-moi, ${p.phrase}`, conversationId: web, consent: true });
  await store.rpc("shop_upsert_contact", { p_email: p.email, p_first_name: p.name.split(" ")[0], p_last_name: p.name.split(" ")[1], p_phone: p.phone, p_source: "chat" });

  await store.rpc("coupon_offer_create", {
    p_id: next("offer"), p_conversation_id: whatsapp, p_contact_key: p.email, p_type: "PERCENTAGE", p_value: 10,
    p_reason: `Premier achat de ${p.name}`, p_offer_ttl_seconds: 86_400, p_cooldown_days: 30,
  });
  await store.rpc("coupon_offer_create", {
    p_id: next("offer"), p_conversation_id: messenger, p_contact_key: `messenger:${p.psid}`, p_type: "FREE_SHIPPING", p_value: 0,
    p_reason: null, p_offer_ttl_seconds: 86_400, p_cooldown_days: 0,
  });

  const orderId = await seedPaidOrder(store, { email: p.email, conversationId: web });
  await store.rpc("quote_create", {
    p_id: p.quoteId, p_currency: "eur", p_amount_total: 120000, p_items: [{ productId: null, name: "Table en chêne", unitAmount: 120000, quantity: 1 }],
    p_customer: { name: p.name, email: p.email, phone: p.phone }, p_note: `Livraison au ${p.phrase}`, p_conversation_id: whatsapp, p_channel: "whatsapp",
  });

  const owner = [{ channel: "email", recipient: "owner@boutique.example", configured: true }];
  await store.rpc("notification_begin", {
    p_type: "lead", p_dedup_key: `lead:${p.email}`, p_subject: `Nouveau contact : ${p.name}`,
    p_message: `${p.name} (${p.email}, ${p.phone}) : Rappelez-moi, ${p.phrase}`, p_fields: [["E-mail", p.email], ["Téléphone", p.phone]],
    p_channels: owner, p_ttl_seconds: 21_600, p_reply_to: p.email,
  });
  await store.rpc("notification_begin", {
    p_type: "handoff", p_dedup_key: `handoff:${whatsapp}:1`, p_subject: `Un client demande à vous parler`,
    p_message: `Dernier message : Je suis au ${p.phrase}`, p_fields: [], p_channels: owner, p_ttl_seconds: 21_600,
  });
  await store.rpc("notification_begin", {
    p_type: "order-confirmation", p_dedup_key: `order-confirmation:${orderId}`, p_subject: "Votre commande",
    p_message: "Merci pour votre commande", p_fields: [], p_channels: [{ channel: "email", recipient: p.email, configured: true }], p_ttl_seconds: 21_600,
  });

  await store.rpc("rate_limit_hit", { p_key: `chat:session:${p.session}`, p_limit: 20, p_window_seconds: 60 });
  await store.rpc("rate_limit_hit", { p_key: `chat:whatsapp:${p.waId}`, p_limit: 20, p_window_seconds: 60 });
  await seedTranscriptArchive(store, whatsapp, `file-${p.psid}`);
  return { web, whatsapp, messenger, leadId, orderId };
}

export const MARIE: Person = {
  email: "marie.durand@example.fr",
  phone: "+33612345678",
  waId: "33612345678",
  psid: "psid-marie-1",
  session: "sess-marie-000000000001",
  name: "Marie Durand",
  phrase: "12 rue des Lilas",
  quoteId: "Q-MARIE-1",
};

/** Looks like Marie (same name, nearly the same email, phone and address): must survive her erasure. */
export const TWIN: Person = {
  email: "marie.durand@example.com",
  phone: "+33612345679",
  waId: "33612345679",
  psid: "psid-marie-2",
  session: "sess-marie-000000000002",
  name: "Marie Durand",
  phrase: "14 rue des Lilas",
  quoteId: "Q-MARIE-2",
};

/** Strings that identify `p` alone (not her twin), searched for in every personal column. */
export function markersOf(p: Person, s: SeededPerson): string[] {
  return [p.email, p.waId, p.psid, p.session, p.phrase, s.web, s.whatsapp, s.messenger, s.leadId];
}
