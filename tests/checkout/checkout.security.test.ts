/**
 * POST /api/checkout refuses every tampered cart before any request reaches Stripe: prices or
 * amounts in the body, unknown / invisible / out-of-stock products, bad quantities, too many
 * lines, custom lines without a quote. Not configured -> 503 payments_not_configured.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../api/checkout.js";
import { createCheckout } from "../../lib/checkout/index.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { addProduct, bodyOf, checkoutRequest, checkoutServices } from "./harness.js";
import { useStripeDouble } from "./stripe-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
let services: Services;

beforeAll(async () => {
  services = await checkoutServices();
  await addProduct(services, { id: "p-1999", name: "Carnet en lin", price: "19.99" });
  await addProduct(services, { id: "p-usd", name: "Import", price: "10.00", currency: "USD" });
});
afterAll(() => services.store.close());
beforeEach(() => {
  stripe.reset();
  stripe.install();
});

const ok = { productId: "p-1999", quantity: 1 };
const lines = (n: number) => Array.from({ length: n }, () => ({ ...ok }));

describe("tampering", () => {
  it.each([
    ["a price on an item", { items: [{ ...ok, price: "0.01" }] }, 400, "validation_failed"],
    ["an amount on an item", { items: [{ ...ok, amount: 1 }] }, 400, "validation_failed"],
    ["a unit_amount on an item", { items: [{ ...ok, unit_amount: 1 }] }, 400, "validation_failed"],
    ["a top-level amount", { items: [ok], amount: 1 }, 400, "validation_failed"],
    ["a top-level price", { items: [ok], price: "1.00" }, 400, "validation_failed"],
    ["a success_url of the caller's choosing", { items: [ok], success_url: "https://evil.example" }, 400, "validation_failed"],
    ["an unknown product id", { items: [{ productId: "does-not-exist", quantity: 1 }] }, 422, "unprocessable"],
    ["an invisible product", { items: [{ productId: "ml-robe-velours-hiver", quantity: 1 }] }, 422, "unprocessable"],
    ["an out-of-stock product", { items: [{ productId: "ml-robe-pull-marine", quantity: 1 }] }, 422, "unprocessable"],
    ["a product priced in another currency", { items: [{ productId: "p-usd", quantity: 1 }] }, 422, "unprocessable"],
    ["quantity 0", { items: [{ ...ok, quantity: 0 }] }, 400, "validation_failed"],
    ["quantity -1", { items: [{ ...ok, quantity: -1 }] }, 400, "validation_failed"],
    ["quantity 2.5", { items: [{ ...ok, quantity: 2.5 }] }, 400, "validation_failed"],
    ["quantity 21 (CHECKOUT_MAX_QUANTITY is 20)", { items: [{ ...ok, quantity: 21 }] }, 400, "validation_failed"],
    ['quantity "3" (a string)', { items: [{ ...ok, quantity: "3" }] }, 400, "validation_failed"],
    ["quantity missing", { items: [{ productId: "p-1999" }] }, 400, "validation_failed"],
    ["22 lines (CHECKOUT_MAX_LINES is 20)", { items: lines(22) }, 400, "validation_failed"],
    ["no line", { items: [] }, 400, "validation_failed"],
    ["a custom line without a quote", { items: [{ name: "Robe sur mesure", unitPrice: "1.00", quantity: 1 }] }, 400, "validation_failed"],
    ["a cart and a quote at once", { items: [ok], quoteId: "q_abcdefghijkl" }, 400, "validation_failed"],
    ["an unknown quote", { quoteId: "q_abcdefghijkl" }, 404, "not_found"],
  ])("rejects %s before any Stripe request", async (_label, body, status, code) => {
    const res = await POST(checkoutRequest(body));
    const out = await bodyOf(res);
    expect(res.status, JSON.stringify(out)).toBe(status);
    expect(out.error.code).toBe(code);
    expect(stripe.requests).toHaveLength(0);
  });

  it("names the item that cannot be sold", async () => {
    const res = await POST(checkoutRequest({ items: [ok, { productId: "ml-robe-pull-marine", quantity: 1 }] }));
    const out = await bodyOf(res);
    expect(res.status).toBe(422);
    expect(out.error.message).toContain("Robe pull en maille Marine");
    expect(out.error.details).toEqual([{ index: 1, productId: "ml-robe-pull-marine", name: "Robe pull en maille Marine", reason: "out_of_stock" }]);
  });

  it("names the bad quantity's line", async () => {
    const out = await bodyOf(await POST(checkoutRequest({ items: [ok, { ...ok, quantity: 21 }] })));
    expect(out.error.details).toEqual([{ path: "items.1.quantity", message: "must be an integer from 1 to 20" }]);
  });

  it("applies the same rules when the assistant calls createCheckout directly", async () => {
    await expect(createCheckout(services, { items: [{ productId: "p-1999", quantity: 21 }] })).rejects.toMatchObject({ code: "validation_failed", status: 400 });
    await expect(createCheckout(services, { items: [{ productId: "nope", quantity: 1 }] })).rejects.toMatchObject({ code: "unprocessable", status: 422 });
    await expect(createCheckout(services, { items: [{ productId: "p-1999", quantity: 1, price: "0.01" }] } as never)).rejects.toMatchObject({ code: "validation_failed" });
    expect(stripe.requests).toHaveLength(0);
  });

  it("rate-limits checkout attempts per IP (429 with Retry-After)", async () => {
    const ip = "192.0.2.77";
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await POST(checkoutRequest({ items: [{ productId: "nope", quantity: 1 }] }, ip))).status);
    expect(statuses.slice(0, 30).every((s) => s === 422)).toBe(true);
    const last = await POST(checkoutRequest({ items: [ok] }, ip));
    expect(last.status).toBe(429);
    expect(last.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(stripe.requests).toHaveLength(0);
  });
});

describe("not configured", () => {
  it("answers 503 payments_not_configured without STRIPE_SECRET_KEY, and createCheckout throws the same", async () => {
    const bare = await createTestServices({});
    try {
      const res = await POST(checkoutRequest({ items: [ok] }));
      expect(res.status).toBe(503);
      expect((await bodyOf(res)).error.code).toBe("payments_not_configured");
      await expect(createCheckout(bare, { items: [ok] })).rejects.toMatchObject({ code: "payments_not_configured", status: 503 });
      expect(stripe.requests).toHaveLength(0);
    } finally {
      await bare.store.close();
    }
  });
});
