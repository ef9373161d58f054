/**
 * POST /api/stripe-webhook: only a valid Stripe-Signature is accepted (wrong secret, stale
 * timestamp, altered body, no header -> 401, nothing stored); each event id is handled once
 * (5 parallel deliveries -> one order update, one owner notification); orders move forward
 * only (expired after paid stays paid); a paid amount that differs from the order is not
 * marked paid; the paid-order hooks receive the conversation and channel, and a failed hook is
 * retried without re-running the others.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../api/stripe-webhook.js";
import {
  createCheckout, orderGet, type OrderPaidHook, type OrderRow, type PaidOrder,
} from "../../lib/checkout/index.js";
import { orderPaidHooks, retryOrderFollowUps } from "../../lib/orders/paid-hooks.js";
import { notificationList } from "../../lib/notifications/store.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { setDbNow } from "../helpers/store.js";
import { addProduct, bodyOf, checkoutServices } from "./harness.js";
import { sessionEvent, signedWebhook, useStripeDouble } from "./stripe-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
let services: Services;
const db = () => (services.store as PgliteStore).db;

beforeAll(async () => {
  services = await checkoutServices({ OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")), NOTIFICATION_EMAIL: "owner@shop.test" });
  await addProduct(services, { id: "p-1999", name: "Carnet en lin", price: "19.99" });
});
afterAll(() => services.store.close());
beforeEach(async () => {
  stripe.reset();
  stripe.install();
  await setDbNow(services.store as PgliteStore, null);
});

let n = 0;
/** A fresh pending order (its own conversation) and its Stripe session id. */
async function pendingOrder(extra: { email?: string; channel?: "web" | "whatsapp" } = {}): Promise<{ sessionId: string; order: OrderRow }> {
  const { sessionId } = await createCheckout(services, {
    items: [{ productId: "p-1999", quantity: 3 }],
    conversationId: `conv-webhook-${++n}`,
    ...(extra.email ? { email: extra.email } : {}),
    ...(extra.channel ? { channel: extra.channel } : {}),
  });
  const row = (await db().query<{ id: string }>("select id from public.app_checkout_order where session_id = $1", [sessionId])).rows[0]!;
  return { sessionId, order: (await orderGet(services.store, row.id))! };
}

const paidEvent = (sessionId: string, over: Record<string, unknown> = {}, eventId?: string) =>
  JSON.stringify(sessionEvent("checkout.session.completed", { id: sessionId, amount_total: 5997, currency: "eur", payment_status: "paid", customer_details: { email: null }, ...over }, eventId));

const eventCount = async () => Number((await db().query<{ n: string }>("select count(*)::text as n from public.app_stripe_event")).rows[0]!.n);
const ownerEmails = async (orderId: string) => (await notificationList(services.store, `order-paid:${orderId}`)).filter((r) => r.channel === "email");

describe("signature", () => {
  it("accepts only the validly signed delivery; the others get 401 and store nothing", async () => {
    const { sessionId, order } = await pendingOrder();
    const payload = paidEvent(sessionId);
    const before = await eventCount();
    const tampered = payload.replace('"amount_total":5997', '"amount_total":1');
    const validHeader = (await import("stripe")).default.webhooks.generateTestHeaderString({ payload, secret: "whsec_test_comptoir_secret" });

    const cases: [string, Request][] = [
      ["wrong secret", signedWebhook(payload, { secret: "whsec_someone_else" })],
      ["stale timestamp (10 minutes old)", signedWebhook(payload, { timestamp: Math.floor(Date.now() / 1000) - 600 })],
      ["body altered after signing", signedWebhook(tampered, { header: validHeader })],
      ["no Stripe-Signature header", signedWebhook(payload, { header: null })],
      ["a garbage header", signedWebhook(payload, { header: "t=1,v1=abc" })],
    ];
    for (const [label, request] of cases) {
      const res = await POST(request);
      const out = await bodyOf(res);
      expect(res.status, label).toBe(401);
      expect(out.error.code, label).toBe("invalid_signature");
    }
    expect(await eventCount()).toBe(before);
    expect((await orderGet(services.store, order.id))!.status).toBe("pending");

    const res = await POST(signedWebhook(payload));
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toMatchObject({ received: true, handled: true, duplicate: false, changed: true, status: "paid" });
    expect((await orderGet(services.store, order.id))!.status).toBe("paid");
  });
});

describe("exactly once", () => {
  it("the same event delivered 5 times in parallel updates the order once and notifies the owner once", async () => {
    const { sessionId, order } = await pendingOrder();
    const payload = paidEvent(sessionId, {}, `evt_parallel_${n}`);
    const responses = await Promise.all(Array.from({ length: 5 }, () => POST(signedWebhook(payload)).then(async (r) => ({ status: r.status, body: await bodyOf(r) }))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(responses.filter((r) => r.body.changed === true)).toHaveLength(1);
    const after = (await orderGet(services.store, order.id))!;
    expect(after.status).toBe("paid");
    expect(after.history.filter((h) => h.to === "paid")).toHaveLength(1);
    const owner = await ownerEmails(order.id);
    expect(owner).toHaveLength(1);
    expect(owner[0]).toMatchObject({ type: "order_paid", status: "sent", recipient: "owner@shop.test" });
    expect(after.followupState).toBe("done");
  });

  it("a second, different event for an already paid order (async_payment_succeeded) changes nothing", async () => {
    const { sessionId, order } = await pendingOrder();
    await POST(signedWebhook(paidEvent(sessionId)));
    const again = JSON.stringify(sessionEvent("checkout.session.async_payment_succeeded", { id: sessionId, amount_total: 5997, currency: "eur" }));
    const out = await bodyOf(await POST(signedWebhook(again)));
    expect(out).toMatchObject({ duplicate: false, changed: false, status: "paid" });
    expect(await ownerEmails(order.id)).toHaveLength(1);
  });
});

describe("forward only", () => {
  it("expired after completed stays paid", async () => {
    const { sessionId, order } = await pendingOrder();
    await POST(signedWebhook(paidEvent(sessionId)));
    const expired = JSON.stringify(sessionEvent("checkout.session.expired", { id: sessionId, payment_status: "unpaid", amount_total: 5997, currency: "eur" }));
    const res = await POST(signedWebhook(expired));
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toMatchObject({ changed: false, status: "paid" });
    expect((await orderGet(services.store, order.id))!.status).toBe("paid");
  });

  it("a failed async payment after paid stays paid; before, it marks the order failed", async () => {
    const a = await pendingOrder();
    await POST(signedWebhook(paidEvent(a.sessionId)));
    await POST(signedWebhook(JSON.stringify(sessionEvent("checkout.session.async_payment_failed", { id: a.sessionId, payment_status: "unpaid" }))));
    expect((await orderGet(services.store, a.order.id))!.status).toBe("paid");

    const b = await pendingOrder();
    await POST(signedWebhook(paidEvent(b.sessionId, { payment_status: "unpaid" })));
    expect((await orderGet(services.store, b.order.id))!.status).toBe("processing");
    await POST(signedWebhook(JSON.stringify(sessionEvent("checkout.session.async_payment_failed", { id: b.sessionId, payment_status: "unpaid" }))));
    expect((await orderGet(services.store, b.order.id))!.status).toBe("failed");
    expect(await ownerEmails(b.order.id)).toHaveLength(0);
  });

  it("completed with a delayed payment waits in processing, then async_payment_succeeded marks it paid", async () => {
    const { sessionId, order } = await pendingOrder();
    expect(await bodyOf(await POST(signedWebhook(paidEvent(sessionId, { payment_status: "unpaid" }))))).toMatchObject({ status: "processing" });
    expect(await ownerEmails(order.id)).toHaveLength(0);
    const ok = JSON.stringify(sessionEvent("checkout.session.async_payment_succeeded", { id: sessionId, amount_total: 5997, currency: "eur" }));
    expect(await bodyOf(await POST(signedWebhook(ok)))).toMatchObject({ status: "paid", changed: true });
    expect(await ownerEmails(order.id)).toHaveLength(1);
  });

  it("checkout.session.expired marks a pending order expired", async () => {
    const { sessionId, order } = await pendingOrder();
    await POST(signedWebhook(JSON.stringify(sessionEvent("checkout.session.expired", { id: sessionId, payment_status: "unpaid" }))));
    expect((await orderGet(services.store, order.id))!.status).toBe("expired");
  });
});

describe("amount check", () => {
  it.each([
    ["a lower amount", { amount_total: 100 }],
    ["another currency", { currency: "usd" }],
    ["no amount", { amount_total: null }],
  ])("does not mark paid when Stripe reports %s: the order goes to review, the anomaly is recorded", async (_label, over) => {
    const { sessionId, order } = await pendingOrder({ email: "marie@example.fr" });
    const res = await POST(signedWebhook(paidEvent(sessionId, over)));
    expect(res.status).toBe(200);
    const after = (await orderGet(services.store, order.id))!;
    expect(after.status).toBe("review");
    expect(after.anomaly).toMatch(/^amount_mismatch: expected 5997 eur/);
    const owner = await ownerEmails(order.id);
    expect(owner).toHaveLength(1);
    expect(owner[0]!.type).toBe("order_review");
    // The shopper is not told "confirmed" for a payment the owner must check.
    expect(await notificationList(services.store, `order-confirmation:${order.id}`)).toHaveLength(0);
  });
});

describe("other events", () => {
  it("answers 200 to an unknown event type and stores nothing", async () => {
    const before = await eventCount();
    const payload = JSON.stringify({ id: "evt_unknown_type", object: "event", type: "customer.created", data: { object: { id: "cus_1", object: "customer" } }, livemode: false, created: 1, api_version: "x", pending_webhooks: 1, request: null });
    const res = await POST(signedWebhook(payload));
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toMatchObject({ received: true, handled: false });
    expect(await eventCount()).toBe(before);
  });

  it("records an event for a session this app did not create and answers 200", async () => {
    const res = await POST(signedWebhook(paidEvent("cs_test_from_dashboard", {}, "evt_foreign")));
    expect(res.status).toBe(200);
    const row = (await db().query<{ result: string }>("select result from public.app_stripe_event where id = 'evt_foreign'")).rows[0];
    expect(row?.result).toBe("unknown_session");
  });

  it("answers 503 payments_not_configured when Stripe is not configured", async () => {
    const bare = await createTestServices({});
    try {
      const res = await POST(signedWebhook(paidEvent("cs_test_x")));
      expect(res.status).toBe(503);
      expect((await bodyOf(res)).error.code).toBe("payments_not_configured");
    } finally {
      await bare.store.close();
      const { setServices } = await import("../../lib/services.js");
      setServices(services);
    }
  });
});

describe("paid-order follow-ups", () => {
  it("confirms to the shopper by email when the address is known (the one typed on Stripe's form wins)", async () => {
    const { sessionId, order } = await pendingOrder({ email: "marie@example.fr" });
    await POST(signedWebhook(paidEvent(sessionId, { customer_details: { email: "marie.d@example.fr" } })));
    const rows = await notificationList(services.store, `order-confirmation:${order.id}`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: "email", recipient: "marie.d@example.fr", status: "sent", type: "order_confirmation" });
  });

  it("gives channel hooks the conversation id and channel; a failed hook is retried later without re-running the others", async () => {
    const seen: PaidOrder[] = [];
    let failures = 1;
    const channelHook: OrderPaidHook = {
      name: "test_channel_message",
      async run(_s, o) {
        seen.push(o);
        if (failures-- > 0) throw new Error("WhatsApp is down");
      },
    };
    orderPaidHooks.push(channelHook);
    try {
      await setDbNow(services.store as PgliteStore, "2026-11-25T12:00:00Z");
      const { sessionId, order } = await pendingOrder({ channel: "whatsapp" });
      await POST(signedWebhook(paidEvent(sessionId)));
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({ orderId: order.id, conversationId: order.conversationId, channel: "whatsapp", status: "paid", total: "59.97", amountTotal: 5997, currency: "eur" });
      let row = (await orderGet(services.store, order.id))!;
      expect(row.followupState).toBe("pending");
      expect(row.followupDone).toEqual(["channel_message", "owner_notification", "shopper_email"]);

      // Not due before the retry delay.
      expect(await retryOrderFollowUps(services)).toEqual({ claimed: 0, completed: 0, failed: 0 });
      await setDbNow(services.store as PgliteStore, "2026-11-25T12:11:00Z");
      expect(await retryOrderFollowUps(services)).toEqual({ claimed: 1, completed: 1, failed: 0 });
      expect(seen).toHaveLength(2);
      row = (await orderGet(services.store, order.id))!;
      expect(row.followupState).toBe("done");
      expect(await ownerEmails(order.id)).toHaveLength(1);
    } finally {
      orderPaidHooks.splice(orderPaidHooks.indexOf(channelHook), 1);
    }
  });
});
