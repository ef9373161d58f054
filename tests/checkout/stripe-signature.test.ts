/**
 * Our Stripe-Signature check (lib/integrations/stripe/webhook.ts, written from Stripe's manual
 * verification steps so the webhook does not load the SDK) against the SDK's own
 * `webhooks.constructEvent`, on the same headers: both accept and refuse the same ones.
 */
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { StripeSignatureError, verifyStripeEvent } from "../../lib/integrations/stripe/webhook.js";

const SECRET = "whsec_signature_test_secret";
const payload = JSON.stringify({ id: "evt_sig_1", object: "event", type: "checkout.session.completed", data: { object: { id: "cs_test_1", object: "checkout.session" } } });
const now = Math.floor(Date.now() / 1000);
const sign = (o: { payload?: string; secret?: string; timestamp?: number } = {}) =>
  Stripe.webhooks.generateTestHeaderString({ payload: o.payload ?? payload, secret: o.secret ?? SECRET, timestamp: o.timestamp ?? now });
const v1Of = (header: string) => header.split(",").find((p) => p.startsWith("v1="))!.slice(3);

const ours = async (body: string, header: string | null) => {
  try {
    await verifyStripeEvent(body, header, SECRET, now);
    return "accepted";
  } catch (err) {
    expect(err).toBeInstanceOf(StripeSignatureError);
    return "refused";
  }
};
const sdks = (body: string, header: string | null) => {
  try {
    Stripe.webhooks.constructEvent(body, header ?? "", SECRET);
    return "accepted";
  } catch {
    return "refused";
  }
};

describe("Stripe-Signature verification without the SDK", () => {
  it("accepts and refuses exactly the headers the SDK accepts and refuses", async () => {
    const valid = sign();
    const cases: [string, string, string | null, "accepted" | "refused"][] = [
      ["a valid signature", payload, valid, "accepted"],
      ["a valid one among several v1 (secret rotation)", payload, `t=${now},v1=${"0".repeat(64)},v1=${v1Of(valid)}`, "accepted"],
      ["v0 next to a valid v1", payload, `${valid},v0=${"1".repeat(64)}`, "accepted"],
      ["a timestamp a minute ahead", payload, sign({ timestamp: now + 60 }), "accepted"],
      ["290 s old", payload, sign({ timestamp: now - 290 }), "accepted"],
      ["the wrong secret", payload, sign({ secret: "whsec_someone_else" }), "refused"],
      ["10 minutes old", payload, sign({ timestamp: now - 600 }), "refused"],
      ["the body altered after signing", payload.replace("cs_test_1", "cs_test_2"), valid, "refused"],
      ["the signature of another body", payload, sign({ payload: "{}" }), "refused"],
      ["only a v0 signature", payload, `t=${now},v0=${v1Of(valid)}`, "refused"],
      ["no timestamp", payload, `v1=${v1Of(valid)}`, "refused"],
      ["a timestamp that is not a number", payload, `t=abc,v1=${v1Of(valid)}`, "refused"],
      ["an upper-case signature", payload, `t=${now},v1=${v1Of(valid).toUpperCase()}`, "refused"],
      ["a truncated signature", payload, `t=${now},v1=${v1Of(valid).slice(0, 40)}`, "refused"],
      ["garbage", payload, "t=1,v1=abc", "refused"],
      ["an empty header", payload, "", "refused"],
    ];
    for (const [label, body, header, expected] of cases) {
      expect(await ours(body, header), label).toBe(expected);
      expect(sdks(body, header), `${label} (SDK)`).toBe(expected);
    }
    expect(await ours(payload, null)).toBe("refused");
  });

  it("returns the parsed event once verified", async () => {
    const event = await verifyStripeEvent(payload, sign(), SECRET, now);
    expect(event).toMatchObject({ id: "evt_sig_1", type: "checkout.session.completed" });
  });
});
