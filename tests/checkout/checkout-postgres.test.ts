/**
 * Concurrency on a real PostgreSQL server (TEST_DATABASE_URL; .ci/run starts one): parallel
 * deliveries on separate connections still update an order once and notify once, mixed
 * out-of-order events end in the highest status, parallel double clicks share one order, and
 * a quote is paid by one order only. Also proves the migration runs on plain PostgreSQL.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as checkout } from "../../api/checkout.js";
import { POST as quote } from "../../api/quote.js";
import { POST as webhook } from "../../api/stripe-webhook.js";
import { createCheckout, orderGet, quoteGet, type OrderRow } from "../../lib/checkout/index.js";
import { notificationList } from "../../lib/notifications/store.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { createPgDatabase, TEST_DATABASE_URL } from "../helpers/store.js";
import { ADMIN_KEY, bodyOf, checkoutRequest, quoteRequest } from "./harness.js";
import { sessionEvent, signedWebhook, STRIPE_ENV, useStripeDouble } from "./stripe-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);

describe.runIf(TEST_DATABASE_URL)("checkout on real PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let services: Services;
  beforeAll(async () => {
    db = await createPgDatabase();
    services = await createTestServices(
      { ...STRIPE_ENV, ADMIN_API_KEY: ADMIN_KEY, OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")) },
      db.store,
    );
  });
  afterAll(() => db?.drop());
  beforeEach(() => {
    stripe.reset();
    stripe.install();
  });

  let n = 0;
  async function pendingOrder(): Promise<{ sessionId: string; id: string }> {
    const sessionId = (await createCheckout(services, { items: [{ productId: "ml-bougie-figue-noire", quantity: 2 }], conversationId: `conv-pg-${++n}` })).sessionId!;
    // The order id travels in the session's metadata.
    const session = stripe.sessions().find((s) => s.id === sessionId)!;
    return { sessionId, id: session.metadata.orderId! };
  }
  const event = (type: string, sessionId: string, over: Record<string, unknown> = {}, id?: string) =>
    JSON.stringify(sessionEvent(type, { id: sessionId, amount_total: 4980, currency: "eur", payment_status: "paid", ...over }, id));
  const ownerEmails = async (orderId: string) => (await notificationList(services.store, `order-paid:${orderId}`)).filter((r) => r.channel === "email");

  it("the same event 5 times in parallel: one order update, one notification", async () => {
    const o = await pendingOrder();
    const payload = event("checkout.session.completed", o.sessionId, {}, `evt_pg_same_${n}`);
    const out = await Promise.all(Array.from({ length: 5 }, () => webhook(signedWebhook(payload)).then(bodyOf)));
    expect(out.filter((r) => r.changed === true)).toHaveLength(1);
    expect(out.filter((r) => r.duplicate === true)).toHaveLength(4);
    const order = (await orderGet(services.store, o.id)) as OrderRow;
    expect(order.status).toBe("paid");
    expect(order.history.filter((h) => h.to === "paid")).toHaveLength(1);
    expect(await ownerEmails(o.id)).toHaveLength(1);
  });

  it("10 completed and 10 expired events with distinct ids, in parallel: the order ends paid, notified once", async () => {
    const o = await pendingOrder();
    const payloads = [
      ...Array.from({ length: 10 }, () => event("checkout.session.completed", o.sessionId)),
      ...Array.from({ length: 10 }, () => event("checkout.session.expired", o.sessionId, { payment_status: "unpaid" })),
    ].sort(() => Math.random() - 0.5);
    const statuses = await Promise.all(payloads.map((p) => webhook(signedWebhook(p)).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await orderGet(services.store, o.id))!.status).toBe("paid");
    expect(await ownerEmails(o.id)).toHaveLength(1);
  });

  it("10 parallel clicks on the same cart share one order and one Stripe session", async () => {
    stripe.delay(30);
    const cart = { items: [{ productId: "ml-bougie-figue-noire", quantity: 1 }], conversationId: "conv-pg-clicks" };
    const out = await Promise.all(Array.from({ length: 10 }, () => checkout(checkoutRequest(cart)).then(bodyOf)));
    expect(new Set(out.map((r) => r.sessionId)).size).toBe(1);
    expect(new Set(stripe.requests.map((r) => r.headers.get("idempotency-key"))).size).toBe(1);
  });

  it("two orders of one quote paid at the same moment: one paid, the other flagged for review", async () => {
    const q = await bodyOf(await quote(quoteRequest({ items: [{ name: "Coffret sur mesure", unitPrice: "49.80", quantity: 1 }] })));
    const a = await bodyOf(await checkout(checkoutRequest({ quoteId: q.quoteId, email: "a@example.fr" })));
    const b = await bodyOf(await checkout(checkoutRequest({ quoteId: q.quoteId, email: "b@example.fr" })));
    await Promise.all([a, b].map((s) => webhook(signedWebhook(event("checkout.session.completed", s.sessionId)))));
    const views = await Promise.all([a, b].map((s) => db.store.rpc<{ status: string }>("checkout_order_status", { p_session_id: s.sessionId })));
    expect(views.map((v) => v.status).sort()).toEqual(["paid", "review"]);
    expect((await quoteGet(services.store, q.quoteId))!.status).toBe("paid");
  });

  it("10 parallel claims of one paid order's Wix recording: one lease, and none once it is done", async () => {
    const { id } = await pendingOrder();
    await db.store.rpc("checkout_apply_event", { p_event_id: `evt_wixsync_${id}`, p_type: "checkout.session.completed", p_session_id: (await orderGet(services.store, id))!.sessionId!, p_target: "paid", p_amount_total: 4980, p_currency: "eur" });
    const claims = await Promise.all(Array.from({ length: 10 }, () => db.store.rpc<{ token: string }[]>("wix_order_sync_claim", { p_order_id: id, p_lease_seconds: 120 })));
    const won = claims.flat();
    expect(won).toHaveLength(1);
    expect(await db.store.rpc("wix_order_sync_step", { p_order_id: id, p_token: won[0]!.token, p_state: "done" })).toBe(true);
    expect(await db.store.rpc("wix_order_sync_claim", { p_order_id: id })).toEqual([]);
    expect(await db.store.rpc("wix_order_sync_claim", {})).toEqual([]);
  });
});
