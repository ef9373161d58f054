/**
 * A Wix shop that pays through Stripe (CHECKOUT_PROVIDER=stripe): the assistant's offer is a
 * Stripe discount of our own on the session (one use, never a Wix code), and once paid the order
 * is recorded in Wix exactly once (Create Order with OTHER_PLATFORM + the Stripe payment id,
 * then Add Payments), even when the webhook comes 5 times and Wix fails once.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { HttpResponse } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as checkout } from "../../api/checkout.js";
import { POST as webhook } from "../../api/stripe-webhook.js";
import { createCouponOffer } from "../../lib/coupons/index.js";
import { retryWixOrderRecords } from "../../lib/orders/wix-record.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { setDbNow } from "../helpers/store.js";
import { FAST, recorder, V1_TSHIRT, WIX_ENV } from "../shop/wix-fixtures.js";
import { bodyOf, checkoutRequest, checkoutServices } from "./harness.js";
import { sessionEvent, signedWebhook, useStripeDouble } from "./stripe-double.js";
import { useWixEcomDouble } from "./wix-ecom-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
const ecom = useWixEcomDouble(server);
let services: Services;
let n = 0;
const db = () => (services.store as PgliteStore).db;
const L = V1_TSHIRT.variants[2]!;

beforeAll(async () => {
  services = await checkoutServices({ ...WIX_ENV, ...FAST, CHECKOUT_PROVIDER: "stripe", OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")) });
});
afterAll(() => services.store.close());
beforeEach(async () => {
  stripe.reset();
  stripe.install();
  ecom.orders.length = 0;
  ecom.payments.length = 0;
  ecom.install();
  server.use(recorder().on("get", `/stores-reader/v1/products/${V1_TSHIRT.id}`, () => ({ product: V1_TSHIRT })));
  await setDbNow(services.store as PgliteStore, null);
});

async function paidCheckout() {
  const conversationId = `conv-stripe-wix-${++n}`;
  await createCouponOffer(services, { conversationId, type: "PERCENTAGE", value: 10 });
  const res = await checkout(checkoutRequest({ items: [{ productId: V1_TSHIRT.id, variantId: L.id, quantity: 2 }], email: "marie@example.fr", conversationId }));
  const body = await bodyOf(res);
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body as { sessionId: string; orderNumber: string; coupon: { applied: boolean; discount: string } };
}

const paidEvent = (sessionId: string, paymentIntent: string, amount = 4500) =>
  JSON.stringify(sessionEvent("checkout.session.completed", { id: sessionId, amount_total: amount, currency: "eur", payment_status: "paid", payment_intent: paymentIntent, customer_details: { email: "marie@example.fr" } }, `evt_sw_${n}`));

describe("Stripe for a Wix shop", () => {
  it("applies the offer as a one-use Stripe coupon of an exact amount, never a Wix code", async () => {
    const body = await paidCheckout();
    const couponReq = stripe.requests.find((r) => r.form.has("amount_off"))!;
    expect(Object.fromEntries(couponReq.form)).toMatchObject({ amount_off: "500", currency: "eur", duration: "once", max_redemptions: "1" });
    const session = stripe.sessionRequests()[0]!.form;
    expect(session.get("discounts[0][coupon]")).toMatch(/^cpn_/);
    expect(session.get("line_items[0][price_data][unit_amount]")).toBe("2500");
    expect(session.get("line_items[0][price_data][product_data][name]")).toBe("T-shirt Marinière (L)");
    expect([...session.keys()].some((k) => /promotion|coupon_code/i.test(k))).toBe(false);
    expect(body.coupon).toEqual({ applied: true, discount: "5.00" });
    expect(stripe.sessions()[0]!.amount_total).toBe(4500);
  });

  it("records the paid order in Wix once, with the payment, though the webhook comes 5 times and Wix fails once", async () => {
    const { sessionId, orderNumber } = await paidCheckout();
    ecom.fail("order", HttpResponse.json({ message: "internal" }, { status: 500 }));
    const payload = paidEvent(sessionId, "pi_3QxWixOnce");
    const responses = await Promise.all(Array.from({ length: 5 }, () => webhook(signedWebhook(payload))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(ecom.orders).toHaveLength(0); // the one attempt failed

    // Too early: the retry waits.
    expect(await retryWixOrderRecords(services)).toMatchObject({ claimed: 0 });
    await setDbNow(services.store as PgliteStore, new Date(Date.now() + 11 * 60_000));
    const [a, b] = await Promise.all([retryWixOrderRecords(services), retryWixOrderRecords(services)]);
    expect(a.done + b.done).toBe(1);
    expect(await retryWixOrderRecords(services)).toMatchObject({ claimed: 0 });

    expect(ecom.orders).toHaveLength(1);
    expect(ecom.payments).toHaveLength(1);
    const created = ecom.rec.to("/ecom/v1/orders").at(-1)!.body as { order: Record<string, unknown>; settings: unknown };
    expect(created.order).toMatchObject({
      channelInfo: { type: "OTHER_PLATFORM", externalOrderId: "pi_3QxWixOnce" },
      buyerInfo: { email: "marie@example.fr" },
      currency: "EUR",
      priceSummary: { subtotal: { amount: "50.00" }, discount: { amount: "5.00" }, total: { amount: "45.00" } },
      lineItems: [
        {
          quantity: 2,
          catalogReference: { catalogItemId: V1_TSHIRT.id, appId: "215238eb-22a5-4c36-9e7b-e7c08025e04e", options: { variantId: L.id } },
          productName: { original: "T-shirt Marinière (L)" },
          itemType: { preset: "PHYSICAL" },
          price: { amount: "25.00" },
        },
      ],
    });
    expect(ecom.payments[0]!.body).toEqual({
      payments: [{ amount: { amount: "45.00" }, regularPaymentDetails: { paymentMethod: "CreditCard", providerTransactionId: "pi_3QxWixOnce", offlinePayment: false, status: "APPROVED" } }],
    });
    const sync = (await db().query<{ state: string; number: string }>(
      "select s.state, o.number::text as number from public.app_wix_order_sync s join public.app_checkout_order o on o.id = s.order_id where o.session_id = $1", [sessionId])).rows[0]!;
    expect(sync).toEqual({ state: "done", number: orderNumber });
  });

  it("a payment that failed after the order was created is retried without creating a second order", async () => {
    const { sessionId } = await paidCheckout();
    ecom.fail("payment", HttpResponse.json({ message: "unavailable" }, { status: 503 }));
    await webhook(signedWebhook(paidEvent(sessionId, "pi_3QxPayLater")));
    expect(ecom.orders).toHaveLength(1);
    expect(ecom.payments).toHaveLength(0);
    await setDbNow(services.store as PgliteStore, new Date(Date.now() + 11 * 60_000));
    expect(await retryWixOrderRecords(services)).toMatchObject({ claimed: 1, done: 1 });
    expect(ecom.orders).toHaveLength(1);
    expect(ecom.payments).toHaveLength(1);
  });
});
