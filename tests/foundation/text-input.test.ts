/**
 * Text at the edge: a NUL character (U+0000) anywhere in a JSON body is a 400 naming the
 * field (PostgreSQL cannot store it: it used to surface as a 503 store_unavailable); a lone
 * surrogate is replaced by U+FFFD, so the lead is stored and its notification still goes out.
 * Tested on the real routes.
 */
import { readFile, readdir } from "node:fs/promises";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postCheckout } from "../../api/checkout.js";
import { POST as postCoupon } from "../../api/coupon.js";
import { POST as postLead } from "../../api/lead.js";
import { leadGet } from "../../lib/leads/index.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { addProduct, bodyOf, checkoutServices, freshIp } from "../checkout/harness.js";
import { useStripeDouble } from "../checkout/stripe-double.js";
import { useMsw } from "../helpers/msw.js";
import { req } from "../helpers/services.js";

const server = useMsw();
const stripe = useStripeDouble(server);
let services: Services;
const outbox = mkdtempSync(path.join(tmpdir(), "comptoir-text-"));

beforeAll(async () => {
  services = await checkoutServices({ OUTBOX_DIR: outbox, NOTIFICATION_EMAIL: "owner@shop.test" });
  await addProduct(services, { id: "p-text", name: "Carnet", price: "12.00" });
  stripe.install();
});
afterAll(() => services.store.close());

const count = async (table: string) => Number((await (services.store as PgliteStore).db.query<{ n: string }>(`select count(*)::text as n from public.${table}`)).rows[0]!.n);
// The body as a client would send it: JSON text with the \u0000 escape.
const raw = (path: string, body: unknown) => req(path, { body: JSON.stringify(body), headers: { "x-real-ip": freshIp() } });

describe("NUL characters", () => {
  it.each([
    ["lead conversationId", () => postLead(raw("/api/lead", { email: "nul@example.fr", conversationId: "conv-\u0000" })), "conversationId", "app_lead"],
    ["lead name", () => postLead(raw("/api/lead", { email: "nul2@example.fr", name: "Ma\u0000rie" })), "name", "app_lead"],
    ["checkout productId", () => postCheckout(raw("/api/checkout", { items: [{ productId: "p-\u0000", quantity: 1 }] })), "items.0.productId", "app_checkout_order"],
    ["coupon offerId", () => postCoupon(raw("/api/coupon", { offerId: "offer-\u0000" })), "offerId", "shop_demo_coupons"],
  ])("in the %s: 400 validation_failed naming the field, nothing stored", async (_what, call, field, table) => {
    const before = await count(table);
    const res = await call();
    const body = await bodyOf(res);
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(body.error.code).toBe("validation_failed");
    expect(body.error.details).toEqual([{ path: field, message: "must not contain NUL characters" }]);
    expect(await count(table)).toBe(before);
  });

  it("in an object key: 400 too", async () => {
    const res = await postLead(raw("/api/lead", { email: "key@example.fr", ["x\u0000"]: 1 }));
    expect(res.status).toBe(400);
  });
});

describe("lone surrogates", () => {
  it("a lead whose name holds a lone surrogate is stored with U+FFFD and its notification is sent", async () => {
    const res = await postLead(req("/api/lead", { body: '{"email":"surrogate@example.fr","name":"Marie \\ud800"}', headers: { "x-real-ip": freshIp() } }));
    const body = await bodyOf(res);
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect((await leadGet(services.store, body.leadId))?.lead).toMatchObject({ name: "Marie \uFFFD" });
    const emails = await Promise.all((await readdir(outbox)).map((f) => readFile(path.join(outbox, f), "utf8")));
    expect(emails.filter((e) => e.includes("surrogate@example.fr"))).toHaveLength(1);
  });
});
