/**
 * POST /api/checkout, the happy paths: exact amounts in the form Stripe receives, URLs from
 * PUBLIC_BASE_URL only, metadata and expiry, one session for a double click (same
 * Idempotency-Key), the order recorded as pending, and GET ?session_id= for the success page.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GET, POST } from "../../api/checkout.js";
import { createCheckout } from "../../lib/checkout/index.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { req } from "../helpers/services.js";
import { setDbNow } from "../helpers/store.js";
import { addProduct, bodyOf, checkoutRequest, checkoutServices, freshIp } from "./harness.js";
import { STRIPE_BASE, useStripeDouble } from "./stripe-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
let services: Services;

beforeAll(async () => {
  services = await checkoutServices();
  await addProduct(services, { id: "p-1999", name: "Carnet en lin", price: "19.99" });
  await addProduct(services, { id: "p-0010", name: "Marque-page", price: "0.10" });
});
afterAll(() => services.store.close());
beforeEach(() => {
  stripe.reset();
  stripe.install();
});

describe("exact amounts", () => {
  it("charges 19.99 x 3 as 5997 minor units in the form-encoded body sent to Stripe", async () => {
    const res = await POST(checkoutRequest({ items: [{ productId: "p-1999", quantity: 3 }], conversationId: "conv-amounts-1" }));
    const body = await bodyOf(res);
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(stripe.requests).toHaveLength(1);
    const sent = stripe.requests[0]!;
    expect(sent.form.get("line_items[0][price_data][unit_amount]")).toBe("1999");
    expect(sent.form.get("line_items[0][quantity]")).toBe("3");
    expect(sent.form.get("line_items[0][price_data][currency]")).toBe("eur");
    expect(sent.form.get("line_items[0][price_data][product_data][name]")).toBe("Carnet en lin");
    expect(stripe.sessions()[0]!.amount_total).toBe(5997);
    expect(body).toEqual({ url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/), sessionId: expect.stringMatching(/^cs_test_/) });
  });

  it("adds lines without float drift (0.10 x 3 + 24.90 x 1 = 2520)", async () => {
    const res = await POST(checkoutRequest({ items: [{ productId: "p-0010", quantity: 3 }, { productId: "ml-bougie-figue-noire", quantity: 1 }] }));
    expect(res.status).toBe(200);
    const form = stripe.requests[0]!.form;
    expect(form.get("line_items[0][price_data][unit_amount]")).toBe("10");
    expect(form.get("line_items[1][price_data][unit_amount]")).toBe("2490");
    expect(stripe.sessions()[0]!.amount_total).toBe(2520);
  });
});

describe("what is sent to Stripe", () => {
  it("builds success and cancel URLs from PUBLIC_BASE_URL only, whatever the request's host and origin", async () => {
    const request = new Request("http://evil.example/api/checkout", {
      method: "POST",
      headers: { "content-type": "application/json", host: "evil.example", "x-forwarded-host": "evil.example", "x-real-ip": freshIp() },
      body: JSON.stringify({ items: [{ productId: "p-1999", quantity: 1 }] }),
    });
    const res = await POST(request);
    expect(res.status).toBe(200);
    const form = stripe.requests[0]!.form;
    expect(form.get("success_url")).toBe("http://shop.test/checkout/success.html?session_id={CHECKOUT_SESSION_ID}");
    expect(form.get("cancel_url")).toBe("http://shop.test/checkout/cancel.html");
  });

  it("sends the conversation as client_reference_id, metadata, the email, an expiry, the secret key and the SDK's API version", async () => {
    const res = await POST(checkoutRequest({ items: [{ productId: "p-1999", quantity: 2 }], conversationId: "conv-meta-42", email: "marie@example.fr" }));
    expect(res.status).toBe(200);
    const { form, headers } = stripe.requests[0]!;
    expect(form.get("mode")).toBe("payment");
    expect(form.get("client_reference_id")).toBe("conv-meta-42");
    expect(form.get("metadata[conversationId]")).toBe("conv-meta-42");
    expect(form.get("metadata[channel]")).toBe("web");
    expect(form.get("metadata[orderId]")).toMatch(/^[0-9a-f-]{36}$/);
    expect(form.get("customer_email")).toBe("marie@example.fr");
    const expiresAt = Number(form.get("expires_at"));
    const now = Date.now() / 1000;
    // CHECKOUT_EXPIRY_MINUTES (60) + 2 min of skew margin ahead, within the 5-minute reuse bucket.
    expect(expiresAt).toBeGreaterThanOrEqual(now + 62 * 60 - 5);
    expect(expiresAt).toBeLessThanOrEqual(now + 67 * 60 + 5);
    expect(headers.get("authorization")).toBe("Bearer sk_test_comptoir");
    expect(headers.get("stripe-version")).toMatch(/^\d{4}-\d{2}-\d{2}\./);
    expect(headers.get("idempotency-key")).toMatch(/^comptoir-checkout-[0-9a-f]{64}$/);
    expect(form.has("payment_method_types[0]")).toBe(false);
  });
});

describe("expiry", () => {
  it.each([
    [30, "2026-11-25T10:00:00Z"],
    [30, "2026-11-25T10:04:59Z"],
    [60, "2026-11-25T10:02:30Z"],
    [1440, "2026-11-25T10:00:00Z"],
    [1440, "2026-11-25T10:04:59Z"],
  ])("CHECKOUT_EXPIRY_MINUTES=%i at %s: between 30 min (plus margin) and 24 h ahead, as Stripe requires", async (minutes, at) => {
    await setDbNow(services.store as PgliteStore, at);
    try {
      const r = await services.store.rpc<{ expiresAt: number }>("checkout_begin", {
        p_cart_hash: `expiry-${minutes}-${at}`, p_bucket_seconds: 300, p_expiry_seconds: minutes * 60,
        p_currency: "eur", p_amount_total: 100, p_items: [],
      });
      const ahead = r.expiresAt - Date.parse(at) / 1000;
      expect(ahead).toBeGreaterThanOrEqual(Math.min(minutes * 60 + 120, 24 * 3600 - 10 * 60));
      expect(ahead).toBeGreaterThanOrEqual(30 * 60 + 60);
      expect(ahead).toBeLessThan(24 * 3600);
    } finally {
      await setDbNow(services.store as PgliteStore, null);
    }
  });
});

describe("double clicks", () => {
  it("the same cart twice gives the same session and the same Idempotency-Key", async () => {
    const cart = { items: [{ productId: "p-1999", quantity: 1 }], conversationId: "conv-double-1" };
    const ip = freshIp();
    const a = await bodyOf(await POST(checkoutRequest(cart, ip)));
    const b = await bodyOf(await POST(checkoutRequest(cart, ip)));
    expect(b).toEqual(a);
    // The second click finds the recorded session: Stripe is not asked again.
    expect(stripe.requests).toHaveLength(1);
  });

  it("two parallel clicks send one Idempotency-Key and get one session", async () => {
    stripe.delay(50);
    const cart = { items: [{ productId: "p-1999", quantity: 2 }], conversationId: "conv-double-2" };
    const results = await Promise.all([1, 2, 3].map(() => POST(checkoutRequest(cart)).then(bodyOf)));
    expect(new Set(results.map((r) => r.sessionId)).size).toBe(1);
    expect(stripe.requests.length).toBeGreaterThanOrEqual(1);
    expect(new Set(stripe.requests.map((r) => r.headers.get("idempotency-key"))).size).toBe(1);
    expect(stripe.sessions()).toHaveLength(1);
  });

  it("a different cart or another conversation gets another key", async () => {
    await POST(checkoutRequest({ items: [{ productId: "p-1999", quantity: 1 }], conversationId: "conv-k-1" }));
    await POST(checkoutRequest({ items: [{ productId: "p-1999", quantity: 2 }], conversationId: "conv-k-1" }));
    await POST(checkoutRequest({ items: [{ productId: "p-1999", quantity: 1 }], conversationId: "conv-k-2" }));
    const keys = stripe.requests.map((r) => r.headers.get("idempotency-key"));
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
  });
});

describe("the order in Postgres and GET /api/checkout", () => {
  it("records the session as pending with its amount and currency, and shows it without personal data", async () => {
    const created = await bodyOf(await POST(checkoutRequest({ items: [{ productId: "p-1999", quantity: 3 }], email: "secret@example.fr", conversationId: "conv-status" })));
    const res = await GET(req(`/api/checkout?session_id=${created.sessionId}`));
    const view = await bodyOf(res);
    expect(res.status).toBe(200);
    expect(view).toMatchObject({ sessionId: created.sessionId, status: "pending", amountTotal: 5997, total: "59.97", currency: "eur", items: [{ name: "Carnet en lin", quantity: 3 }] });
    expect(JSON.stringify(view)).not.toContain("secret@example.fr");
    expect(JSON.stringify(view)).not.toContain("conv-status");
  });

  it("answers 404 for an unknown session and 400 for something that is not a session id", async () => {
    expect((await GET(req("/api/checkout?session_id=cs_test_unknown"))).status).toBe(404);
    expect((await GET(req("/api/checkout?session_id=../../etc"))).status).toBe(400);
    expect((await GET(req("/api/checkout"))).status).toBe(400);
  });
});

describe("createCheckout for the assistant", () => {
  it("records the channel the assistant names", async () => {
    const out = await createCheckout(services, { items: [{ productId: "p-1999", quantity: 1 }], conversationId: "wa-conv-1", channel: "whatsapp" });
    expect(out.sessionId).toMatch(/^cs_test_/);
    expect(stripe.requests[0]!.form.get("metadata[channel]")).toBe("whatsapp");
    const view = await bodyOf(await GET(req(`/api/checkout?session_id=${out.sessionId}`)));
    expect(view.channel).toBe("whatsapp");
  });

  it("uses STRIPE_API_BASE_URL for the SDK", () => {
    expect(services.config.stripe.baseUrl).toBe(STRIPE_BASE);
  });
});
