/**
 * The assistant's selling tools at the edge the model (and the offline assistant) sees: the
 * checkout tool asks for a missing size with {needsChoice}, takes the shopper's choices, says
 * when the shop refused the offer's code and when payment is briefly down; the order_status
 * tool answers a wrong email exactly like an unknown order.
 */
import { HttpResponse } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emptyDialogue } from "../../lib/assistant/dialogue.js";
import { newDraft, type TurnContext } from "../../lib/assistant/context.js";
import { createCheckoutLinkTool } from "../../lib/assistant/tools/checkout.js";
import { orderStatusTool } from "../../lib/assistant/tools/order-status.js";
import { createCouponOffer } from "../../lib/coupons/index.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { FAST, recorder, V1_TSHIRT, WIX_ENV } from "../shop/wix-fixtures.js";
import { checkoutServices } from "./harness.js";
import { useStripeDouble } from "./stripe-double.js";
import { useWixEcomDouble } from "./wix-ecom-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
const ecom = useWixEcomDouble(server);
let services: Services;
let n = 0;

beforeAll(async () => {
  services = await checkoutServices({ ...WIX_ENV, ...FAST });
});
afterAll(() => services.store.close());
beforeEach(async () => {
  stripe.reset();
  stripe.install();
  ecom.rec.seen.length = 0;
  ecom.orders.length = 0;
  ecom.install();
  const wix = recorder();
  server.use(
    wix.on("get", `/stores-reader/v1/products/${V1_TSHIRT.id}`, () => ({ product: V1_TSHIRT })),
    wix.on("post", "/stores/v2/coupons", () => ({ id: "coupon-1" })),
  );
  await (services.store as PgliteStore).db.exec("delete from public.app_cache; delete from public.app_breaker;");
});

function ctx(lang: "fr" | "en", shopperText = ""): TurnContext {
  return {
    services, conversationId: `conv-tools-${++n}`, channel: "whatsapp", userKey: `3361234${n}`, lang, shopperText,
    contactEmail: null, lastProducts: [], dialogue: emptyDialogue(), draft: newDraft(), memo: new Map(), waitUntil: () => {},
  };
}

describe("create_checkout_link", () => {
  it("asks which size, with the sizes still in stock, when none is chosen", async () => {
    const c = ctx("fr");
    expect(await createCheckoutLinkTool(c, { items: [{ productId: V1_TSHIRT.id, quantity: 1 }] })).toEqual({
      status: "needs_choice",
      needsChoice: { productId: V1_TSHIRT.id, name: "T-shirt Marinière", option: "Size", choices: ["S", "L", "XL"] },
    });
    expect(ecom.rec.to("/ecom/v1/checkouts")).toHaveLength(0);
  });

  it("takes the shopper's choice by option name and value, loosely spelled, and links Wix's checkout", async () => {
    const c = ctx("en");
    const r = await createCheckoutLinkTool(c, { items: [{ productId: V1_TSHIRT.id, quantity: 1, choices: [{ option: "size", value: "xl" }] }] });
    expect(r).toMatchObject({ status: "created", url: expect.stringMatching(/^https:\/\/www\.maison-lumiere\.fr\/checkout\?checkoutId=/), total: "25.00", lines: [{ name: "T-shirt Marinière (XL)", unitPrice: "25.00" }] });
    expect(ecom.rec.to("/ecom/v1/checkouts")[0]!.body).toMatchObject({ lineItems: [{ catalogReference: { options: { variantId: V1_TSHIRT.variants[3]!.id } } }] });
    expect(c.draft.links).toEqual([expect.objectContaining({ kind: "checkout" })]);
  });

  it("tells the shopper the shop refused the code, and still gives the link", async () => {
    const c = ctx("fr");
    await createCouponOffer(services, { conversationId: c.conversationId!, type: "PERCENTAGE", value: 10 });
    const r = await createCheckoutLinkTool(c, { items: [{ productId: V1_TSHIRT.id, quantity: 1, variantId: V1_TSHIRT.variants[0]!.id }] });
    expect(r).toMatchObject({ status: "created", coupon: { applied: false, reason: "refused" } });
    expect(c.draft.notes.join(" ")).toMatch(/n'a pas accepté le code [A-Z0-9-]+ sur cette commande : le lien de paiement est sans la réduction/);
    expect(c.draft.links).toHaveLength(1);
  });

  it("says payment is briefly unavailable when Wix's checkout is down", async () => {
    ecom.fail("checkout", new HttpResponse("unavailable", { status: 503 }));
    const c = ctx("en");
    expect(await createCheckoutLinkTool(c, { items: [{ productId: V1_TSHIRT.id, quantity: 1, variantId: V1_TSHIRT.variants[0]!.id }] })).toEqual({ status: "unavailable" });
    expect(c.draft.notes).toContain("Online payment is briefly unavailable. Please try again in a few minutes, or ask to talk to a person.");
    expect(c.draft.links).toHaveLength(0);
  });
});

describe("order_status", () => {
  it("answers the buyer, and a wrong email exactly like an unknown number", async () => {
    const order = ecom.addOrder({ number: "10077", buyerInfo: { email: "marie@example.fr" }, fulfillmentStatus: "FULFILLED" });
    ecom.ship(order.id, { trackingNumber: "6A99", shippingProvider: "Colissimo", trackingLink: "https://www.laposte.fr/outils/suivre-vos-envois?code=6A99" });

    const right = ctx("fr", "où en est ma commande 10077 ? marie@example.fr");
    expect(await orderStatusTool(right, { orderNumber: "10077", email: "marie@example.fr" })).toMatchObject({ status: "found", order: { payment: "PAID", fulfillment: "FULFILLED" } });
    expect(right.draft.notes).toEqual(["Commande 10077 : payée, expédiée.", "Suivi Colissimo : 6A99."]);
    expect(right.draft.links).toEqual([{ title: "Suivre le colis", url: "https://www.laposte.fr/outils/suivre-vos-envois?code=6A99", kind: "info" }]);

    const wrong = ctx("fr", "commande 10077, jean@example.fr");
    const unknown = ctx("fr", "commande 55555, jean@example.fr");
    const a = await orderStatusTool(wrong, { orderNumber: "10077", email: "jean@example.fr" });
    const b = await orderStatusTool(unknown, { orderNumber: "55555", email: "jean@example.fr" });
    expect(a).toEqual(b);
    expect(wrong.draft.notes).toEqual(unknown.draft.notes);
  });

  it("ignores an email the shopper never typed and asks for it", async () => {
    ecom.addOrder({ number: "10078", buyerInfo: { email: "marie@example.fr" } });
    const c = ctx("en", "where is my order 10078?");
    expect(await orderStatusTool(c, { orderNumber: "10078", email: "marie@example.fr" })).toEqual({ status: "needs_email" });
    expect(c.draft.notes[0]).toMatch(/email address used for the order/);
  });
});
