/** The representative request of each api/ function, and the environment the benchmarks run in. */
import { createHmac } from "node:crypto";

export const SECRETS = {
  metaAppSecret: "bench_meta_app_secret",
  stripeWebhookSecret: "whsec_bench_secret",
  adminKey: "bench-admin-key-0123456789",
  cronSecret: "bench-cron-secret-0123456789",
};

/** Every integration configured against the loopback doubles; rate limits out of the way. */
export function benchEnv(doublesUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LOG_LEVEL: "silent",
    PUBLIC_BASE_URL: "http://localhost:3000",
    META_APP_SECRET: SECRETS.metaAppSecret,
    META_GRAPH_BASE_URL: doublesUrl,
    WHATSAPP_ACCESS_TOKEN: "EAAbenchtoken",
    WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
    WHATSAPP_VERIFY_TOKEN: "bench-verify",
    MESSENGER_PAGE_ACCESS_TOKEN: "EAAbenchpage",
    MESSENGER_PAGE_ID: "1234567890",
    MESSENGER_VERIFY_TOKEN: "bench-verify",
    STRIPE_SECRET_KEY: "sk_test_bench",
    STRIPE_WEBHOOK_SECRET: SECRETS.stripeWebhookSecret,
    STRIPE_API_BASE_URL: doublesUrl,
    ADMIN_API_KEY: SECRETS.adminKey,
    CRON_SECRET: SECRETS.cronSecret,
    CHAT_RATE_IP_LIMIT: "100000000",
    CHAT_RATE_SESSION_LIMIT: "100000000",
    LEAD_RATE_IP_LIMIT: "100000000",
    ...extra,
  };
}

export interface BenchRequest { method: string; path: string; headers: Record<string, string>; body?: string }

let seq = 0;
const unique = () => `${process.pid}-${Date.now()}-${++seq}`;

export function whatsappDelivery(text = "Bonjour, vous avez des robes ?", id = `wamid.bench-${unique()}`, from = "33612345678"): BenchRequest {
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "WABA", changes: [{ field: "messages", value: {
      messaging_product: "whatsapp",
      metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
      contacts: [{ profile: { name: "Marie" }, wa_id: from }],
      messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } }],
    } }] }],
  });
  const sig = createHmac("sha256", SECRETS.metaAppSecret).update(body).digest("hex");
  return { method: "POST", path: "/api/whatsapp-webhook", headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${sig}` }, body };
}

export function messengerDelivery(text = "Bonjour", mid = `m_bench-${unique()}`): BenchRequest {
  const body = JSON.stringify({ object: "page", entry: [{ id: "1234567890", time: Date.now(), messaging: [
    { sender: { id: "PSID-1" }, recipient: { id: "1234567890" }, timestamp: Date.now(), message: { mid, text } },
  ] }] });
  const sig = createHmac("sha256", SECRETS.metaAppSecret).update(body).digest("hex");
  return { method: "POST", path: "/api/messenger-webhook", headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${sig}` }, body };
}

export function stripeEvent(type = "checkout.session.expired", sessionId = "cs_test_unknown"): BenchRequest {
  const body = JSON.stringify({ id: `evt_bench_${unique()}`, object: "event", type, data: { object: { id: sessionId, object: "checkout.session", status: "expired", payment_status: "unpaid", amount_total: 0, currency: "eur" } } });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac("sha256", SECRETS.stripeWebhookSecret).update(`${t}.${body}`).digest("hex");
  return { method: "POST", path: "/api/stripe-webhook", headers: { "content-type": "application/json", "stripe-signature": `t=${t},v1=${v1}` }, body };
}

const jsonPost = (path: string, data: unknown, headers: Record<string, string> = {}): BenchRequest => ({
  method: "POST", path, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(data),
});

/** One representative request per function (by api/ file name). */
export function representative(name: string, ctx: { productId: string }): BenchRequest | null {
  switch (name) {
    case "health": return { method: "GET", path: "/api/health", headers: {} };
    case "chat": return jsonPost("/api/chat", { message: "Bonjour, vous avez des robes ?" });
    case "lead": return jsonPost("/api/lead", { email: `bench-${unique()}@example.fr`, name: "Marie Durand" });
    case "coupon": return jsonPost("/api/coupon", { offerId: "off_doesnotexist000000000000" });
    case "checkout": return jsonPost("/api/checkout", { items: [{ productId: ctx.productId, quantity: 2 }] });
    case "quote": return jsonPost("/api/quote", { items: [{ name: "Robe sur mesure", unitPrice: "120.00", quantity: 1 }] }, { authorization: `Bearer ${SECRETS.adminKey}` });
    case "stripe-webhook": return stripeEvent();
    case "whatsapp-webhook": return whatsappDelivery();
    case "messenger-webhook": return messengerDelivery();
    case "cron/cleanup": return { method: "GET", path: "/api/cron/cleanup", headers: { authorization: `Bearer ${SECRETS.cronSecret}` } };
    default: return null;
  }
}
