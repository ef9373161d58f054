/**
 * POST /api/stripe-webhook with a correctly signed body that is not a Stripe event (fuzzing
 * found these as 500s): the envelope is validated after the signature, so the answer is a 400
 * validation_failed and nothing is stored; a real event still goes through.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "../../api/stripe-webhook.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { bodyOf, checkoutServices } from "./harness.js";
import { sessionEvent, signedWebhook, useStripeDouble } from "./stripe-double.js";

const server = useMsw();
const stripe = useStripeDouble(server);
let services: Services;

beforeAll(async () => {
  services = await checkoutServices();
});
afterAll(() => services.store.close());
beforeEach(() => {
  stripe.reset();
  stripe.install();
});

const storedEvents = async () =>
  Number((await (services.store as PgliteStore).db.query<{ n: string }>("select count(*)::text as n from public.app_stripe_event")).rows[0]!.n);

const completed = (session: Record<string, unknown>) => sessionEvent("checkout.session.completed", { id: "cs_test_envelope", ...session });

describe("stripe webhook envelope", () => {
  it.each([
    ["an empty object", {}],
    ["an event without data", { id: "evt_1", type: "checkout.session.completed" }],
    ["an event whose data has no object", { id: "evt_2", type: "checkout.session.completed", data: {} }],
    ["an event whose data.object is null", { id: "evt_3", type: "checkout.session.completed", data: { object: null } }],
    ["an event whose data is a string", { id: "evt_4", type: "checkout.session.completed", data: "x" }],
    ["an event without a type", { id: "evt_5", data: { object: {} } }],
    ["an event whose id is a number", { id: 5, type: "checkout.session.completed", data: { object: {} } }],
    ["a JSON array", [1, 2, 3]],
    ["a JSON string", "hello"],
    ["JSON null", null],
    ["a session whose amount is text", completed({ amount_total: "5997" })],
    ["a session whose currency is a number", completed({ currency: 978 })],
    ["a session whose customer_details is a string", completed({ customer_details: "marie@example.com" })],
    ["a session id with a NUL character", completed({ id: "cs_test_\u0000" })],
  ])("answers 400 and stores nothing for a signed body that is %s", async (_what, payload) => {
    const before = await storedEvents();
    const res = await POST(signedWebhook(JSON.stringify(payload)));
    expect(res.status, JSON.stringify(await bodyOf(res.clone()))).toBe(400);
    expect((await bodyOf(res)).error.code).toBe("validation_failed");
    expect(await storedEvents()).toBe(before);
  });

  it("still accepts an event of a type it does not handle, with any object", async () => {
    const res = await POST(signedWebhook(JSON.stringify({ id: "evt_other", type: "customer.created", data: { object: { object: "customer", id: "cus_1" } } })));
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toMatchObject({ received: true, handled: false, type: "customer.created" });
  });

  it("still answers 401 for a body whose signature does not match, before looking at it", async () => {
    const res = await POST(signedWebhook(JSON.stringify({}), { secret: "whsec_wrong" }));
    expect(res.status).toBe(401);
  });
});
