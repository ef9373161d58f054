/**
 * POST /api/quote (owner quotes, "devis"): the admin key is required and compared before the
 * body is read; custom lines are the only place a price enters; the quote is stored, the
 * owner notified, payable through POST /api/checkout {quoteId}, once, until it expires.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as checkout } from "../../api/checkout.js";
import { POST as quote } from "../../api/quote.js";
import { POST as webhook } from "../../api/stripe-webhook.js";
import { orderGet, quoteGet } from "../../lib/checkout/index.js";
import { notificationList } from "../../lib/notifications/store.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";
import { setDbNow } from "../helpers/store.js";
import { ADMIN_KEY, addProduct, bodyOf, checkoutRequest, checkoutServices, quoteRequest } from "./harness.js";
import { sessionEvent, signedWebhook, useStripeDouble } from "./stripe-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
let services: Services;
const pglite = () => services.store as PgliteStore;

beforeAll(async () => {
  services = await checkoutServices({ OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")) });
  await addProduct(services, { id: "p-1999", name: "Carnet en lin", price: "19.99" });
});
afterAll(() => services.store.close());
beforeEach(async () => {
  stripe.reset();
  stripe.install();
  await setDbNow(pglite(), null);
});

const customQuote = {
  items: [
    { name: "Robe sur mesure, lin sable, taille 38", unitPrice: "149.90", quantity: 1 },
    { productId: "p-1999", quantity: 2 },
  ],
  customer: { name: "Marie Dupont", email: "marie@example.fr" },
  conversationId: "conv-quote-1",
  note: "Livraison avant le 15 décembre",
};

async function newQuote(body: Record<string, unknown> = customQuote): Promise<any> {
  const res = await quote(quoteRequest(body));
  const out = await bodyOf(res);
  expect(res.status, JSON.stringify(out)).toBe(201);
  return out;
}

function paid(sessionId: string, amount: number) {
  return signedWebhook(JSON.stringify(sessionEvent("checkout.session.completed", { id: sessionId, amount_total: amount, currency: "eur", payment_status: "paid" })));
}

describe("admin key", () => {
  it.each([
    ["no Authorization header", null],
    ["a wrong key", "admin-key-for-tests-0123456780"],
    ["a prefix of the key", ADMIN_KEY.slice(0, 10)],
    ["an empty bearer", ""],
  ])("answers 401 for %s, before reading the body", async (_label, key) => {
    const res = await quote(quoteRequest({ not: "even valid" }, key));
    expect(res.status).toBe(401);
    expect((await bodyOf(res)).error.code).toBe("unauthorized");
  });

  it("answers 503 not_configured when ADMIN_API_KEY is not set", async () => {
    const bare = await createTestServices({});
    try {
      const res = await quote(quoteRequest(customQuote));
      expect(res.status).toBe(503);
      expect((await bodyOf(res)).error.code).toBe("not_configured");
    } finally {
      await bare.store.close();
      const { setServices } = await import("../../lib/services.js");
      setServices(services);
    }
  });
});

describe("creating a quote", () => {
  it("stores the owner's prices and the catalogue's, and notifies the owner", async () => {
    const out = await newQuote();
    expect(out).toMatchObject({
      quoteId: expect.stringMatching(/^q_[A-Za-z0-9]{20}$/),
      status: "open",
      currency: "eur",
      amountTotal: 14990 + 2 * 1999,
      total: "189.88",
      items: [
        { productId: null, name: "Robe sur mesure, lin sable, taille 38", unitPrice: "149.90", quantity: 1 },
        { productId: "p-1999", name: "Carnet en lin", unitPrice: "19.99", quantity: 2 },
      ],
      expiresAt: null,
    });
    const stored = await quoteGet(services.store, out.quoteId);
    expect(stored).toMatchObject({ status: "open", amountTotal: 18988, customer: { email: "marie@example.fr" } });
    const notes = await notificationList(services.store, `quote:${out.quoteId}`);
    expect(notes.filter((r) => r.channel === "email")).toHaveLength(1);
    expect(notes[0]).toMatchObject({ type: "quote" });
  });

  it.each([
    ["a malformed unit price", { items: [{ name: "X", unitPrice: "19,90", quantity: 1 }] }, 400],
    ["a float unit price", { items: [{ name: "X", unitPrice: 19.9, quantity: 1 }] }, 400],
    ["more decimals than the currency has", { items: [{ name: "X", unitPrice: "19.995", quantity: 1 }] }, 400],
    ["a zero unit price", { items: [{ name: "X", unitPrice: "0.00", quantity: 1 }] }, 400],
    ["an unknown field", { items: [{ name: "X", unitPrice: "1.00", quantity: 1, discount: "50%" }] }, 400],
    ["quantity 21", { items: [{ name: "X", unitPrice: "1.00", quantity: 21 }] }, 400],
    ["an out-of-stock product", { items: [{ productId: "ml-robe-pull-marine", quantity: 1 }] }, 422],
    ["an unknown product", { items: [{ productId: "nope", quantity: 1 }] }, 422],
  ])("refuses %s", async (_label, body, status) => {
    const res = await quote(quoteRequest(body));
    expect(res.status, JSON.stringify(await bodyOf(res))).toBe(status);
  });

  it("can open the Stripe session at once (checkout: true)", async () => {
    const out = await newQuote({ ...customQuote, checkout: true });
    expect(out.checkout).toEqual({ url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\//), sessionId: expect.stringMatching(/^cs_test_/), provider: "stripe", orderNumber: expect.stringMatching(/^\d+$/) });
    expect(stripe.requests).toHaveLength(1);
    expect(stripe.requests[0]!.form.get("customer_email")).toBe("marie@example.fr");
  });
});

describe("paying a quote", () => {
  it("sends the quote's lines at their exact prices, with the quote id in metadata", async () => {
    const q = await newQuote();
    const res = await checkout(checkoutRequest({ quoteId: q.quoteId }));
    expect(res.status).toBe(200);
    const form = stripe.requests[0]!.form;
    expect(form.get("line_items[0][price_data][unit_amount]")).toBe("14990");
    expect(form.get("line_items[0][price_data][product_data][name]")).toBe("Robe sur mesure, lin sable, taille 38");
    expect(form.get("line_items[1][price_data][unit_amount]")).toBe("1999");
    expect(form.get("line_items[1][quantity]")).toBe("2");
    expect(form.get("metadata[quoteId]")).toBe(q.quoteId);
    expect(form.get("client_reference_id")).toBe("conv-quote-1");
    expect(form.get("customer_email")).toBe("marie@example.fr");
  });

  it("a quote paid once refuses a second payment (409), without asking Stripe", async () => {
    const q = await newQuote();
    const first = await bodyOf(await checkout(checkoutRequest({ quoteId: q.quoteId })));
    expect((await webhook(paid(first.sessionId, 18988))).status).toBe(200);
    expect((await quoteGet(services.store, q.quoteId))!.status).toBe("paid");

    stripe.reset();
    stripe.install();
    const second = await checkout(checkoutRequest({ quoteId: q.quoteId }));
    expect(second.status).toBe(409);
    expect((await bodyOf(second)).error.code).toBe("conflict");
    expect(stripe.requests).toHaveLength(0);
  });

  it("if two sessions of one quote are both paid, the second order is flagged for review, not paid", async () => {
    const q = await newQuote();
    const a = await bodyOf(await checkout(checkoutRequest({ quoteId: q.quoteId, email: "a@example.fr" })));
    const b = await bodyOf(await checkout(checkoutRequest({ quoteId: q.quoteId, email: "b@example.fr" })));
    expect(a.sessionId).not.toBe(b.sessionId);
    await webhook(paid(a.sessionId, 18988));
    await webhook(paid(b.sessionId, 18988));
    const orders = (await pglite().db.query<{ id: string; session_id: string }>("select id, session_id from public.app_checkout_order where quote_id = $1", [q.quoteId])).rows;
    const byId = new Map(await Promise.all(orders.map(async (o) => [o.session_id, (await orderGet(services.store, o.id))!] as const)));
    expect(byId.get(a.sessionId)!.status).toBe("paid");
    expect(byId.get(b.sessionId)!).toMatchObject({ status: "review", anomaly: "quote_already_paid" });
    expect((await quoteGet(services.store, q.quoteId))!.paidOrderId).toBe(byId.get(a.sessionId)!.id);
  });

  it("an expired quote answers 410", async () => {
    await setDbNow(pglite(), "2026-11-25T10:00:00Z");
    const q = await newQuote({ ...customQuote, expiresInDays: 1 });
    expect(q.expiresAt).toMatch(/^2026-11-26T10:00:00/);
    await setDbNow(pglite(), "2026-11-26T10:00:01Z");
    const res = await checkout(checkoutRequest({ quoteId: q.quoteId }));
    expect(res.status).toBe(410);
    expect((await bodyOf(res)).error.code).toBe("gone");
    expect(stripe.requests).toHaveLength(0);
  });

  it("the success page's status shows the paid quote without personal data", async () => {
    const q = await newQuote();
    const s = await bodyOf(await checkout(checkoutRequest({ quoteId: q.quoteId })));
    await webhook(paid(s.sessionId, 18988));
    const { GET } = await import("../../api/checkout.js");
    const view = await bodyOf(await GET(req(`/api/checkout?session_id=${s.sessionId}`)));
    expect(view).toMatchObject({ status: "paid", total: "189.88" });
    expect(JSON.stringify(view)).not.toMatch(/marie|Dupont|conv-quote/);
    const order = (await pglite().db.query<{ id: string }>("select id from public.app_checkout_order where session_id = $1", [s.sessionId])).rows[0]!;
    expect((await orderGet(services.store, order.id))!.quoteId).toBe(q.quoteId);
  });
});
