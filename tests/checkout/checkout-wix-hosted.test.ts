/**
 * Checkout on Wix's hosted checkout (CHECKOUT_PROVIDER=wix, the default with Wix): the cart
 * becomes one Wix eCommerce checkout with catalog references (Stores app id, product, variant),
 * the offer's Wix code and the buyer's email; the shopper gets Wix's URL. A refused code gives
 * the link without it and says so; a missing choice or a sold-out variant is refused before any
 * checkout call; ids that are not ids never reach Wix's URL path.
 */
import { HttpResponse } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../api/checkout.js";
import { createCouponOffer } from "../../lib/coupons/index.js";
import { setServices, type Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { FAST, recorder, V1_COFFEE, V1_DISCOUNTED, V1_TSHIRT, V3_PREORDER, WIX_ENV } from "../shop/wix-fixtures.js";
import { bodyOf, checkoutRequest, checkoutServices } from "./harness.js";
import { useStripeDouble } from "./stripe-double.js";
import { useWixEcomDouble } from "./wix-ecom-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
const ecom = useWixEcomDouble(server);
const STORES_APP_ID = "215238eb-22a5-4c36-9e7b-e7c08025e04e";
let services: Services;
let v3: Services;
let n = 0;

beforeAll(async () => {
  services = await checkoutServices({ ...WIX_ENV, ...FAST });
  v3 = await checkoutServices({ ...WIX_ENV, ...FAST, WIX_CATALOG_VERSION: "3" });
  setServices(services); // the routes serve the V1 shop unless a test says otherwise
});
afterAll(async () => {
  await services.store.close();
  await v3.store.close();
});
beforeEach(async () => {
  stripe.reset();
  stripe.install();
  ecom.rec.seen.length = 0;
  ecom.install();
  await (services.store as PgliteStore).db.exec("delete from public.app_cache; delete from public.app_breaker;");
});

/** Wix Stores answers Get Product for these V1 products; coupons are created with their code. */
function catalogue(products: { id: string }[], opts: { acceptCoupons?: boolean } = {}) {
  const wix = recorder();
  for (const p of products) server.use(wix.on("get", `/stores-reader/v1/products/${p.id}`, () => ({ product: p })));
  server.use(
    wix.on("post", "/stores/v2/coupons", async (request) => {
      const { specification } = (await request.clone().json()) as { specification: { code: string } };
      if (opts.acceptCoupons) ecom.acceptCode(specification.code, "8.00");
      return { id: `coupon-${specification.code}` };
    }),
  );
  return wix;
}

const checkoutsSent = () => ecom.rec.to("/ecom/v1/checkouts");

describe("Wix hosted checkout", () => {
  it("sends one Wix checkout with the catalog reference, the variant, the offer's code and the email, and returns Wix's URL", async () => {
    const wix = catalogue([V1_TSHIRT], { acceptCoupons: true });
    const conversationId = `conv-wix-hosted-${++n}`;
    await createCouponOffer(services, { conversationId, type: "PERCENTAGE", value: 10 });
    const variant = V1_TSHIRT.variants[2]!; // L

    const res = await POST(checkoutRequest({ items: [{ productId: V1_TSHIRT.id, variantId: variant.id, quantity: 2 }], email: "marie@example.fr", conversationId }));
    const body = await bodyOf(res);

    expect(res.status, JSON.stringify(body)).toBe(200);
    const code = (wix.to("/stores/v2/coupons")[0]!.body as { specification: { code: string } }).specification.code;
    expect(checkoutsSent()).toHaveLength(1);
    expect(checkoutsSent()[0]!.body).toEqual({
      channelType: "WEB",
      lineItems: [{ quantity: 2, catalogReference: { catalogItemId: V1_TSHIRT.id, appId: STORES_APP_ID, options: { variantId: variant.id } } }],
      couponCode: code,
      checkoutInfo: { buyerInfo: { email: "marie@example.fr" } },
    });
    expect(body).toMatchObject({ provider: "wix", url: "https://www.maison-lumiere.fr/checkout?checkoutId=chk-1".replace("chk-1", body.checkoutId), coupon: { code, applied: true, discount: "8.00" } });
    expect(stripe.requests).toHaveLength(0);

    // A double click within the bucket: the same checkout, no second Wix call.
    const again = await bodyOf(await POST(checkoutRequest({ items: [{ productId: V1_TSHIRT.id, variantId: variant.id, quantity: 2 }], email: "marie@example.fr", conversationId })));
    expect(again.url).toBe(body.url);
    expect(checkoutsSent()).toHaveLength(1);
  });

  it("gives the link without the code, and says it was refused, when Wix's checkout does not apply the coupon", async () => {
    catalogue([V1_DISCOUNTED]); // coupons created, but the checkout does not know the code
    const conversationId = `conv-wix-hosted-${++n}`;
    await createCouponOffer(services, { conversationId, type: "FIXED_AMOUNT", value: 5 });

    const res = await POST(checkoutRequest({ items: [{ productId: V1_DISCOUNTED.id, quantity: 1 }], conversationId }));
    const body = await bodyOf(res);

    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.url).toMatch(/^https:\/\/www\.maison-lumiere\.fr\/checkout\?checkoutId=/);
    expect(body.coupon).toMatchObject({ applied: false, reason: "refused", message: "Coupon code does not exist" });
    expect(checkoutsSent()[0]!.body).toMatchObject({ lineItems: [{ quantity: 1, catalogReference: { catalogItemId: V1_DISCOUNTED.id, appId: STORES_APP_ID } }] });
  });

  it("asks for the missing choice (422 naming the option and the sizes still in stock) before any checkout call", async () => {
    catalogue([V1_TSHIRT]);
    const res = await POST(checkoutRequest({ items: [{ productId: V1_TSHIRT.id, quantity: 1 }] }));
    const body = await bodyOf(res);
    expect(res.status).toBe(422);
    expect(body.error.message).toBe('Choose the Size of "T-shirt Marinière" (91f7ac8b-2baa-289c-aa50-6d64764f35d3): S, L, XL.');
    expect(body.error.details[0]).toMatchObject({ reason: "needs_choice", option: "Size", choices: ["S", "L", "XL"] });
    expect(checkoutsSent()).toHaveLength(0);
    expect(stripe.requests).toHaveLength(0);
  });

  it("refuses a variant out of stock before any checkout call", async () => {
    catalogue([V1_TSHIRT]);
    const res = await POST(checkoutRequest({ items: [{ productId: V1_TSHIRT.id, variantId: V1_TSHIRT.variants[1]!.id, quantity: 1 }] }));
    expect(res.status).toBe(422);
    expect((await bodyOf(res)).error.message).toBe('The product "T-shirt Marinière (M)" (91f7ac8b-2baa-289c-aa50-6d64764f35d3) is out of stock.');
    expect(checkoutsSent()).toHaveLength(0);
  });

  it("names V1 options not managed as variants by their values, at the variant's own price", async () => {
    catalogue([V1_COFFEE]);
    const res = await POST(checkoutRequest({ items: [{ productId: V1_COFFEE.id, variantId: V1_COFFEE.variants[1]!.id, quantity: 1 }] }));
    expect(res.status, JSON.stringify(await bodyOf(res.clone()))).toBe(200);
    expect(checkoutsSent()[0]!.body).toMatchObject({
      lineItems: [{ quantity: 1, catalogReference: { catalogItemId: V1_COFFEE.id, appId: STORES_APP_ID, options: { options: { Poids: "500 g" } } } }],
    });
    const row = (await (services.store as PgliteStore).db.query<{ amount_total: string }>("select amount_total::text from public.app_checkout_order where provider = 'wix' order by created_at desc limit 1")).rows[0]!;
    expect(row.amount_total).toBe("7000");
  });

  it("sells a V3 dress out of stock but open for preorder, by its variant id", async () => {
    server.use(recorder().on("get", `/stores/v3/products/${V3_PREORDER.id}`, () => ({ product: V3_PREORDER })));
    setServices(v3);
    try {
      const res = await POST(checkoutRequest({ items: [{ productId: V3_PREORDER.id, variantId: "var-40", quantity: 1 }] }));
      expect(res.status, JSON.stringify(await bodyOf(res.clone()))).toBe(200);
      expect(checkoutsSent()[0]!.body).toMatchObject({
        lineItems: [{ quantity: 1, catalogReference: { catalogItemId: V3_PREORDER.id, appId: STORES_APP_ID, options: { variantId: "var-40" } } }],
      });
    } finally {
      setServices(services);
    }
  });

  it("a Wix outage while creating the checkout is a 502 with no link and no Stripe fallback", async () => {
    catalogue([V1_DISCOUNTED]);
    ecom.fail("checkout", new HttpResponse("bad gateway", { status: 502 }));
    const res = await POST(checkoutRequest({ items: [{ productId: V1_DISCOUNTED.id, quantity: 1 }] }));
    expect(res.status).toBe(502);
    expect((await bodyOf(res)).error.code).toBe("upstream_unavailable");
    expect(stripe.requests).toHaveLength(0);
  });
});

describe("ids that are not ids (issue 16, defect #10)", () => {
  it.each([".", "..", "%2e%2e", "a/b", "x?y=1"])("refuses the product id %j with a 400 and never calls Wix", async (id) => {
    const wix = recorder();
    server.use(wix.on("get", "/stores-reader/v1/", () => ({ products: [] })), wix.on("get", "/stores-reader/v1/products/:rest", () => ({ product: V1_DISCOUNTED })));
    const res = await POST(checkoutRequest({ items: [{ productId: id, quantity: 1 }] }));
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).error.code).toBe("validation_failed");
    expect(wix.seen).toHaveLength(0);
  });

  it("the Wix shop itself never puts '.' or '..' in a product path", async () => {
    const { getShop } = await import("../../lib/shop/index.js");
    const wix = recorder();
    server.use(wix.on("get", "/stores-reader/v1/", () => ({ products: [] })));
    expect(await getShop(services).getProduct("..")).toBeNull();
    expect(await getShop(services).getProduct(".")).toBeNull();
    expect(wix.seen).toHaveLength(0);
  });
});
