/**
 * Order status by number: Wix orders from Search Orders + fulfilments, demo/Stripe orders from
 * SQL. Only the buyer's email (or the conversation that placed the order) gets an answer; a
 * wrong email answers exactly like an unknown number; without either, the email is asked for
 * whether the order exists or not.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCheckout } from "../../lib/checkout/index.js";
import { findOrderStatus } from "../../lib/orders/status.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { FAST, WIX_ENV } from "../shop/wix-fixtures.js";
import { addProduct, checkoutServices } from "./harness.js";
import { useStripeDouble } from "./stripe-double.js";
import { useWixEcomDouble } from "./wix-ecom-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
const ecom = useWixEcomDouble(server);
let wix: Services;
let demo: Services;

beforeAll(async () => {
  wix = await checkoutServices({ ...WIX_ENV, ...FAST });
  demo = await checkoutServices();
  await addProduct(demo, { id: "p-carnet", name: "Carnet en lin", price: "19.99" });
});
afterAll(async () => {
  await wix.store.close();
  await demo.store.close();
});
beforeEach(() => {
  stripe.reset();
  stripe.install();
  ecom.orders.length = 0;
  ecom.install();
});

describe("order status, Wix orders", () => {
  it("answers the buyer's email with status, payment, fulfilment and the tracking link", async () => {
    const order = ecom.addOrder({ number: "10042", buyerInfo: { email: "Marie@Example.fr" }, fulfillmentStatus: "FULFILLED" });
    ecom.ship(order.id, { trackingNumber: "6A123456789", shippingProvider: "Colissimo", trackingLink: "https://www.laposte.fr/outils/suivre-vos-envois?code=6A123456789" });

    const answer = await findOrderStatus(wix, { orderNumber: "#10042", email: "marie@example.fr" });

    expect(answer).toEqual({
      status: "found",
      order: {
        number: "10042", source: "wix", status: "APPROVED", payment: "PAID", fulfillment: "FULFILLED",
        tracking: [{ number: "6A123456789", carrier: "Colissimo", link: "https://www.laposte.fr/outils/suivre-vos-envois?code=6A123456789", status: "Fulfilled" }],
        total: "79.90", currency: "EUR", items: [{ name: "Robe portefeuille Terracotta", quantity: 1 }], placedAt: "2026-11-28T10:00:00.000Z",
      },
    });
    expect(ecom.rec.to("/ecom/v1/orders/search")[0]!.body).toMatchObject({ search: { filter: { number: { $eq: "10042" } } } });
  });

  it("answers a wrong email exactly like an unknown number, and asks for the email when none is given", async () => {
    ecom.addOrder({ number: "10043", buyerInfo: { email: "marie@example.fr" } });
    const wrong = await findOrderStatus(wix, { orderNumber: "10043", email: "someone@else.fr" });
    const unknown = await findOrderStatus(wix, { orderNumber: "99999", email: "someone@else.fr" });
    expect(wrong).toEqual({ status: "not_found" });
    expect(unknown).toEqual(wrong);
    expect(await findOrderStatus(wix, { orderNumber: "10043" })).toEqual({ status: "needs_email" });
    expect(await findOrderStatus(wix, { orderNumber: "99999" })).toEqual({ status: "needs_email" });
    expect(ecom.rec.to("/ecom/v1/fulfillments/orders/" + ecom.orders[0]!.id)).toHaveLength(0);
  });
});

describe("order status, a Wix order from our Wix checkout", () => {
  it("answers the conversation whose checkout became the order, without an email, and no other", async () => {
    const { recorder, V1_DISCOUNTED } = await import("../shop/wix-fixtures.js");
    server.use(recorder().on("get", `/stores-reader/v1/products/${V1_DISCOUNTED.id}`, () => ({ product: V1_DISCOUNTED })));
    const db = (wix.store as PgliteStore).db;
    const conv = (await db.query<{ id: string }>(
      "insert into public.chat_conversation (channel, user_key, created_at, updated_at) values ('messenger', 'psid-4242', now(), now()) returning id::text as id")).rows[0]!.id;
    const { checkoutId } = await createCheckout(wix, { items: [{ productId: V1_DISCOUNTED.id, quantity: 1 }], conversationId: conv, channel: "messenger" });
    ecom.addOrder({ number: "10050", checkoutId: checkoutId!, buyerInfo: { email: "guest@example.fr" } });

    expect((await findOrderStatus(wix, { orderNumber: "10050", identity: { channel: "messenger", userKey: "psid-4242" } })).status).toBe("found");
    expect(await findOrderStatus(wix, { orderNumber: "10050", identity: { channel: "messenger", userKey: "psid-0000" } })).toEqual({ status: "needs_email" });
  });
});

describe("order status, demo-shop orders", () => {
  async function paidOrder(conversationId?: string) {
    const r = await createCheckout(demo, { items: [{ productId: "p-carnet", quantity: 2 }], email: "jeanne@example.fr", ...(conversationId ? { conversationId } : {}) });
    await (demo.store as PgliteStore).db.query("update public.app_checkout_order set status = 'paid', paid_at = now() where session_id = $1", [r.sessionId]);
    return r.orderNumber!;
  }

  it("answers by number and email from SQL, and like an unknown order to a wrong email", async () => {
    const number = await paidOrder();
    expect(await findOrderStatus(demo, { orderNumber: `commande n° ${number}`, email: "JEANNE@example.fr" })).toEqual({
      status: "found",
      order: expect.objectContaining({ number, source: "shop", status: "paid", payment: "PAID", total: "39.98", currency: "EUR", items: [{ name: "Carnet en lin", quantity: 2 }] }),
    });
    expect(await findOrderStatus(demo, { orderNumber: number, email: "x@example.fr" })).toEqual({ status: "not_found" });
    expect(await findOrderStatus(demo, { orderNumber: "987654", email: "x@example.fr" })).toEqual({ status: "not_found" });
  });

  it("answers the conversation that placed the order without an email, and no other", async () => {
    const db = (demo.store as PgliteStore).db;
    const conv = (await db.query<{ id: string }>(
      "insert into public.chat_conversation (channel, user_key, created_at, updated_at) values ('whatsapp', '33612345678', now(), now()) returning id::text as id")).rows[0]!.id;
    const number = await paidOrder(conv);
    expect((await findOrderStatus(demo, { orderNumber: number, identity: { channel: "whatsapp", userKey: "33612345678" } })).status).toBe("found");
    expect(await findOrderStatus(demo, { orderNumber: number, identity: { channel: "whatsapp", userKey: "33700000000" } })).toEqual({ status: "needs_email" });
  });
});
