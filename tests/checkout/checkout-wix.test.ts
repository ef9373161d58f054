/**
 * Checkout against the Wix catalogue (msw with Wix's real V1 shapes): the price comes from Wix
 * by id (the discounted price), each product is fetched once and cached 60 s, and a Wix outage
 * is a 502 with no Stripe request, never a checkout at some other price.
 */
import { HttpResponse } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../api/checkout.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { FAST, recorder, V1_DISCOUNTED, WIX_ENV } from "../shop/wix-fixtures.js";
import { bodyOf, checkoutRequest, checkoutServices } from "./harness.js";
import { useStripeDouble } from "./stripe-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
let services: Services;
const path = `/stores-reader/v1/products/${V1_DISCOUNTED.id}`;

beforeAll(async () => {
  services = await checkoutServices({ ...WIX_ENV, ...FAST, CHECKOUT_PROVIDER: "stripe" });
});
afterAll(() => services.store.close());
beforeEach(() => {
  stripe.reset();
  stripe.install();
});

describe("checkout with the Wix catalogue", () => {
  it("charges Wix's discounted price fetched by id, shows its image, and asks Wix once per minute", async () => {
    const wix = recorder();
    server.use(wix.on("get", path, () => ({ product: V1_DISCOUNTED })));
    const res = await POST(checkoutRequest({ items: [{ productId: V1_DISCOUNTED.id, quantity: 2 }], conversationId: "conv-wix-1" }));
    expect(res.status, JSON.stringify(await bodyOf(res.clone()))).toBe(200);
    const form = stripe.requests[0]!.form;
    expect(form.get("line_items[0][price_data][unit_amount]")).toBe("7990");
    expect(form.get("line_items[0][price_data][product_data][images][0]")).toBe("https://static.wixstatic.com/media/2c1d7e_robe~mv2.jpg");
    expect(form.get("line_items[0][price_data][product_data][metadata][productId]")).toBe(V1_DISCOUNTED.id);

    await POST(checkoutRequest({ items: [{ productId: V1_DISCOUNTED.id, quantity: 1 }], conversationId: "conv-wix-2" }));
    expect(stripe.requests).toHaveLength(2);
    expect(wix.to(path)).toHaveLength(1);
  });

  it("a Wix outage is a 502 and nothing is sent to Stripe", async () => {
    server.use(recorder().on("get", "/stores-reader/v1/products/p-down", () => new HttpResponse("upstream reset", { status: 502 })));
    const res = await POST(checkoutRequest({ items: [{ productId: "p-down", quantity: 1 }] }));
    expect(res.status).toBe(502);
    expect((await bodyOf(res)).error.code).toBe("upstream_unavailable");
    expect(stripe.requests).toHaveLength(0);
  });
});
