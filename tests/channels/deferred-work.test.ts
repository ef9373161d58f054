/**
 * The work after the 200: its round trips, its failures recorded and retried by the cron step
 * (never lost, never done twice), leases of instances that died, bounded attempts — and the
 * order-paid confirmation sent through the same ledger.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../api/whatsapp-webhook.js";
import { GET as cronGET } from "../../api/cron/cleanup.js";
import { ingestDelivery, workLeaseSeconds } from "../../lib/channels/inbound.js";
import { sendOrderPaid } from "../../lib/channels/order-paid.js";
import { retryChannelWork } from "../../lib/channels/retry.js";
import { drainLeftovers } from "../../lib/channels/jobs.js";
import { inboundGet, outboundList } from "../../lib/channels/store.js";
import { handleMetaWebhook } from "../../lib/channels/webhook.js";
import { parseWhatsAppPayload } from "../../lib/channels/whatsapp/parse.js";
import type { PaidOrder } from "../../lib/checkout/order-paid.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";
import { createTestStore, setDbNow } from "../helpers/store.js";
import { flaky, type FlakyStore } from "./flaky-store.js";
import { useGraph } from "./graph-double.js";
import { META_ENV, WA_PHONE_NUMBER_ID, msMessage, msPayload, signedPost, waMessages, waPayload, waStatus, waText, wamid } from "./meta-fixtures.js";
import { signMetaBody } from "../../lib/channels/signature.js";

const server = useMsw();
const graph = useGraph(server);
const CRON_SECRET = "cron-secret-for-channel-tests";
let services: Services;
let pglite: PgliteStore;
let store: FlakyStore;
let seq = 0;
const phone = () => `3363${String(5_000_000 + ++seq).padStart(7, "0")}`;

beforeAll(async () => {
  pglite = await createTestStore();
  store = flaky(pglite);
  services = await createTestServices({ ...META_ENV, CRON_SECRET, OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")) }, store);
});
afterAll(() => pglite.close());
beforeEach(async () => {
  graph.reset();
  graph.install();
  await setDbNow(pglite, null);
});

const later = (minutes: number) => setDbNow(pglite, new Date(Date.now() + minutes * 60_000));

async function transcript(channel: string, userKey: string) {
  const conv = await pglite.rpc<{ id: string } | null>("chat_conversation_get", { p_channel: channel, p_user_key: userKey });
  if (!conv) return null;
  return (await pglite.rpc<{ messages: { role: string; content: string }[] }>("chat_transcript", { p_conversation_id: conv.id })).messages;
}

describe("round trips of one delivery", () => {
  it("the claim and ack cost 1 round trip; the deferred answer costs its own, after the response", async () => {
    const from = phone();
    const body = JSON.stringify(waPayload([waMessages({ wa_id: from }, [waText("Bonjour")])]));
    const deferred: Promise<unknown>[] = [];
    const t0 = store.roundTrips;
    const ack = await handleMetaWebhook(services, "whatsapp", { rawBody: body, signature: signMetaBody(body, META_ENV.META_APP_SECRET), waitUntil: (p) => void deferred.push(p) });
    const ackTrips = store.roundTrips - t0;
    expect(ack).toMatchObject({ messages: 1 });
    expect(graph.calls).toHaveLength(0); // nothing sent before the response
    await Promise.all(deferred);
    const total = store.roundTrips - t0;
    expect(graph.calls).toHaveLength(1);
    expect(ackTrips).toBe(1);
    // ack 1 + the assistant's turn (begin + finish) + ledger begin + breaker check + ledger finish.
    expect(total).toBeLessThanOrEqual(8);

    // The same delivery again, and a status-only delivery: 1 round trip each, nothing deferred.
    const t1 = store.roundTrips;
    const deferred2: Promise<unknown>[] = [];
    await handleMetaWebhook(services, "whatsapp", { rawBody: body, signature: signMetaBody(body, META_ENV.META_APP_SECRET), waitUntil: (p) => void deferred2.push(p) });
    const statusBody = JSON.stringify(waPayload([{ statuses: [waStatus("wamid.OUT1", "delivered", from)] }]));
    await handleMetaWebhook(services, "whatsapp", { rawBody: statusBody, signature: signMetaBody(statusBody, META_ENV.META_APP_SECRET), waitUntil: (p) => void deferred2.push(p) });
    expect(deferred2).toHaveLength(0);
    expect(store.roundTrips - t1).toBe(2);
    console.log(`[round trips] one WhatsApp text message: ack ${ackTrips}, ack + deferred answer ${total}; duplicate delivery 1; status-only delivery 1`);
  });
});

describe("the store down at the claim", () => {
  it("fails closed with 503 (Meta retries), and the redelivery is answered once", async () => {
    const from = phone();
    const payload = waPayload([waMessages({ wa_id: from }, [waText("Bonjour")])]);
    store.failNext("channel_ingest_queue");
    const res = await POST(signedPost("/api/whatsapp-webhook", payload));
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe("store_unavailable");
    expect(graph.calls).toHaveLength(0);
    expect(await transcript("whatsapp", from)).toBeNull();
    expect((await POST(signedPost("/api/whatsapp-webhook", payload))).status).toBe(200);
    expect(graph.calls).toHaveLength(1);
  });
});

describe("failures after the 200", () => {
  it("a store failure while recording the reply is recorded and retried by the cron job: one turn, one send", async () => {
    const from = phone();
    const id = wamid();
    store.failNext("channel_outbound_begin");
    const res = await POST(signedPost("/api/whatsapp-webhook", waPayload([waMessages({ wa_id: from }, [waText("Bonjour", id)])])));
    expect(res.status).toBe(200);
    expect(graph.calls).toHaveLength(0);
    expect(await inboundGet(pglite, "whatsapp", id)).toMatchObject({ status: "failed", attempts: 1, last_error: expect.stringContaining("connection terminated") });

    await retryChannelWork(services);
    expect(graph.calls).toHaveLength(0); // not due yet
    await later(5);
    expect(await retryChannelWork(services)).toMatchObject({ work_retried: 1, work_done: 1 });
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]!.body.to).toBe(from);
    expect(await inboundGet(pglite, "whatsapp", id)).toMatchObject({ status: "done", attempts: 2 });
    // The assistant answered once: the retry delivered the stored reply.
    expect((await transcript("whatsapp", from))!.map((m) => m.role)).toEqual(["user", "assistant"]);
    await later(60);
    await retryChannelWork(services);
    expect(graph.calls).toHaveLength(1);
  });

  it("the work of an instance that died (its lease ended) is taken over by the cron job", async () => {
    const from = phone();
    const id = wamid();
    const batch = parseWhatsAppPayload(waPayload([waMessages({ wa_id: from }, [waText("Bonjour", id)])]), WA_PHONE_NUMBER_ID);
    const claimed = await ingestDelivery(services, "whatsapp", batch.messages, []);
    expect(claimed.claimed).toHaveLength(1); // ... and the instance stops here.
    await retryChannelWork(services);
    expect(graph.calls).toHaveLength(0); // still leased
    await later(workLeaseSeconds(services) / 60 + 1);
    expect(await retryChannelWork(services)).toMatchObject({ work_retried: 1, work_done: 1 });
    expect(graph.calls).toHaveLength(1);
    // Its queued job is dropped by the cron's drain, which puts the (never called) worker to sleep.
    expect(await drainLeftovers(services)).toMatchObject({ jobs_done: 0, jobs_dropped: 1 });
    expect(await pglite.rpc("channel_job_take", { p_limit: 5 })).toMatchObject({ taken: 0, asleep: true });
  });

  it("work that keeps failing is abandoned after the last attempt, with its error", async () => {
    const from = phone();
    const id = wamid();
    store.failNext("channel_outbound_begin", 10);
    await POST(signedPost("/api/whatsapp-webhook", waPayload([waMessages({ wa_id: from }, [waText("Bonjour", id)])])));
    for (let i = 1; i <= 4; i++) {
      await later(i * 400);
      await retryChannelWork(services, { maxAttempts: 3 });
    }
    store.failNext("channel_outbound_begin", 0);
    expect(await inboundGet(pglite, "whatsapp", id)).toMatchObject({ status: "abandoned", attempts: 3, last_error: expect.stringContaining("gave up after 3 attempts") });
    expect(graph.calls).toHaveLength(0);
  });

  it("old finished rows are deleted by the cron step; unfinished ones are kept", async () => {
    const from = phone();
    const id = wamid();
    await POST(signedPost("/api/whatsapp-webhook", waPayload([waMessages({ wa_id: from }, [waText("Bonjour", id)])])));
    expect(await inboundGet(pglite, "whatsapp", id)).not.toBeNull();
    await later(100 * 24 * 60);
    const counts = await retryChannelWork(services, { limit: 0 });
    expect(counts.channel_inbound).toBeGreaterThan(0);
    expect(await inboundGet(pglite, "whatsapp", id)).toBeNull();
    expect(await outboundList(pglite, "whatsapp", { sourceKey: id })).toEqual([]);
    expect(await pglite.rpc("channel_user_get", { p_channel: "whatsapp", p_user_id: from })).toBeNull();
  });

  it("the cron route runs the channel step", async () => {
    const res = await cronGET(req("/api/cron/cleanup", { headers: { authorization: `Bearer ${CRON_SECRET}` } }));
    const report = await res.json();
    expect(report.jobs.channel_retry).toMatchObject({ ok: true, counts: expect.objectContaining({ outbound_retried: 0, work_retried: 0 }) });
  });
});

describe("order-paid confirmation", () => {
  const order = (conversationId: string, channel: PaidOrder["channel"], status: PaidOrder["status"] = "paid"): PaidOrder => ({
    orderId: randomUUID(),
    sessionId: "cs_test_a1",
    status,
    anomaly: null,
    currency: "eur",
    amountTotal: 5997,
    total: "59.97",
    items: [{ productId: "ml-bougie-figue-noire", name: "Bougie parfumée Figue noire", quantity: 3, unitAmount: 1999 }],
    email: null,
    conversationId,
    channel,
    quoteId: null,
    paidAt: new Date().toISOString(),
  });

  it("is sent once per order on the conversation's WhatsApp, in its language", async () => {
    const from = phone();
    await POST(signedPost("/api/whatsapp-webhook", waPayload([waMessages({ wa_id: from }, [waText("Bonjour")])])));
    graph.reset();
    graph.install();
    const conv = await pglite.rpc<{ id: string }>("chat_conversation_get", { p_channel: "whatsapp", p_user_key: from });
    const paid = order(conv.id, "whatsapp");
    expect(await sendOrderPaid(services, paid)).toMatchObject({ sent: 1 });
    expect(await sendOrderPaid(services, paid)).toMatchObject({ sent: 0 }); // a retried hook sends nothing twice
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]!.body).toMatchObject({ to: from, type: "text" });
    expect(graph.calls[0]!.body.text.body).toBe(`Merci ! Nous avons bien reçu votre paiement de 59,97 €. Nous préparons votre commande (référence ${paid.orderId.slice(0, 8).toUpperCase()}).`);
    expect(await outboundList(pglite, "whatsapp", { sourceKey: `order-paid:${paid.orderId}` })).toHaveLength(1);
  });

  it("is sent on Messenger as an UPDATE", async () => {
    const user = `26${String(7_000_000 + ++seq).padStart(14, "0")}`;
    const { POST: msPost } = await import("../../api/messenger-webhook.js");
    await msPost(signedPost("/api/messenger-webhook", msPayload([msMessage(user, { text: "Hello" })])));
    graph.reset();
    graph.install();
    const conv = await pglite.rpc<{ id: string }>("chat_conversation_get", { p_channel: "messenger", p_user_key: user });
    await sendOrderPaid(services, order(conv.id, "messenger"));
    expect(graph.messenger()).toHaveLength(1);
    expect(graph.messenger()[0]!.body).toMatchObject({ recipient: { id: user }, messaging_type: "UPDATE" });
  });

  it("does nothing for web orders, unknown conversations and payments under review", async () => {
    expect(await sendOrderPaid(services, order(randomUUID(), "web"))).toBeNull();
    expect(await sendOrderPaid(services, order(randomUUID(), "whatsapp"))).toBeNull();
    expect(await sendOrderPaid(services, order(randomUUID(), "whatsapp", "review"))).toBeNull();
    expect(graph.calls).toHaveLength(0);
  });
});
