/**
 * Stripe failing on purpose: the SDK retries 5xx and connection failures with the same
 * Idempotency-Key, a 4xx is not retried and does not count against the breaker, an outage
 * becomes 502 upstream_unavailable and opens the shared "stripe" breaker, a rejected key is a
 * 503, and a request Stripe answered gives its idempotency key up for the next attempt.
 */
import { afterEach, describe, expect, it } from "vitest";
import { POST } from "../../api/checkout.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { addProduct, bodyOf, checkoutRequest, checkoutServices } from "./harness.js";
import { stripeError, useStripeDouble } from "./stripe-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
let services: Services | undefined;

async function setup(env: Record<string, string> = {}) {
  services = await checkoutServices(env);
  await addProduct(services, { id: "p-1999", name: "Carnet en lin", price: "19.99" });
  stripe.reset();
  stripe.install();
  return services;
}
afterEach(async () => {
  await services?.store.close();
  services = undefined;
});

const cart = { items: [{ productId: "p-1999", quantity: 1 }], conversationId: "conv-faults" };
const serverError = { status: 500, body: stripeError("api_error", undefined, "An unknown error occurred") };
const breaker = async (s: Services) =>
  ((await s.store.rpc<{ name: string; state: string; failures: number }[]>("breaker_states")) ?? []).find((b) => b.name === "stripe");

describe("Stripe faults", () => {
  it("a 500 then a success: the SDK retries with the same Idempotency-Key and the shopper gets a session", async () => {
    await setup();
    stripe.fail(serverError);
    const res = await POST(checkoutRequest(cart));
    expect(res.status).toBe(200);
    expect(stripe.requests).toHaveLength(2);
    expect(stripe.requests[0]!.headers.get("idempotency-key")).toBe(stripe.requests[1]!.headers.get("idempotency-key"));
  });

  it("a connection failure is retried with the same key too", async () => {
    await setup();
    stripe.fail("network");
    const res = await POST(checkoutRequest(cart));
    expect(res.status).toBe(200);
    expect(stripe.requests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(stripe.requests.map((r) => r.headers.get("idempotency-key"))).size).toBe(1);
  });

  it("Stripe down (500 on every attempt) -> 502 upstream_unavailable after 3 attempts; the next try uses a new key", async () => {
    const s = await setup();
    stripe.fail(serverError, serverError, serverError);
    const res = await POST(checkoutRequest(cart));
    expect(res.status).toBe(502);
    expect((await bodyOf(res)).error.code).toBe("upstream_unavailable");
    expect(stripe.requests).toHaveLength(3);
    expect((await breaker(s))?.failures).toBe(1);

    const retry = await POST(checkoutRequest(cart));
    expect(retry.status).toBe(200);
    // Stripe stores the 500 under the first key: reusing it would replay the error.
    expect(stripe.requests[3]!.headers.get("idempotency-key")).not.toBe(stripe.requests[0]!.headers.get("idempotency-key"));
  });

  it("a hanging Stripe is cut by STRIPE_TIMEOUT_MS on each attempt", async () => {
    await setup({ STRIPE_TIMEOUT_MS: "200" });
    stripe.delay(1000);
    const started = Date.now();
    const res = await POST(checkoutRequest(cart));
    expect(res.status).toBe(502);
    expect(stripe.requests).toHaveLength(3);
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it("a 400 (amount too small) is a 422 for the shopper, is not retried and does not count against the breaker", async () => {
    const s = await setup();
    stripe.fail({ status: 400, body: stripeError("invalid_request_error", "amount_too_small", "Amount must be at least €0.50 eur") });
    const res = await POST(checkoutRequest(cart));
    expect(res.status).toBe(422);
    expect((await bodyOf(res)).error.code).toBe("unprocessable");
    expect(stripe.requests).toHaveLength(1);
    expect((await breaker(s))?.failures ?? 0).toBe(0);
  });

  it("a rejected secret key (401) is 503 payments_not_configured", async () => {
    await setup();
    stripe.fail({ status: 401, body: stripeError("invalid_request_error", undefined, "Invalid API Key provided: sk_test_****") });
    const res = await POST(checkoutRequest(cart));
    expect(res.status).toBe(503);
    expect((await bodyOf(res)).error.code).toBe("payments_not_configured");
  });

  it("opens the stripe breaker after STRIPE_CB_FAILURE_THRESHOLD outages; then refuses at once without calling Stripe", async () => {
    await setup({ STRIPE_CB_FAILURE_THRESHOLD: "2", STRIPE_CB_OPEN_MS: "60000" });
    stripe.fail(...Array.from({ length: 6 }, () => serverError));
    expect((await POST(checkoutRequest(cart))).status).toBe(502);
    expect((await POST(checkoutRequest({ ...cart, conversationId: "conv-faults-2" }))).status).toBe(502);
    const sent = stripe.requests.length;
    const res = await POST(checkoutRequest({ ...cart, conversationId: "conv-faults-3" }));
    expect(res.status).toBe(502);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(stripe.requests.length).toBe(sent);
  });
});
