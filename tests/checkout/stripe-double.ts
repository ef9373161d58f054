/**
 * A Stripe double for msw: `POST {STRIPE_API_BASE_URL}/v1/checkout/sessions` with Stripe's real
 * request shape (form-encoded, `Authorization: Bearer sk_…`, `Idempotency-Key`) and response
 * shape (a checkout.session object). Like Stripe, the same idempotency key returns the same
 * session. Records every request so tests assert on what was sent. Faults on demand.
 * Also builds signed webhook requests with the SDK's own generateTestHeaderString.
 */
import { randomBytes } from "node:crypto";
import { http, HttpResponse } from "msw";
import type { SetupServer } from "msw/node";
import Stripe from "stripe";
import { req } from "../helpers/services.js";

export const STRIPE_BASE = "http://stripe.test";
export const WEBHOOK_SECRET = "whsec_test_comptoir_secret";
export const STRIPE_ENV = {
  STRIPE_SECRET_KEY: "sk_test_comptoir",
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_API_BASE_URL: STRIPE_BASE,
  // Keep SDK retries fast in tests.
  STRIPE_TIMEOUT_MS: "2000",
} as const;

export interface RecordedRequest { headers: Headers; form: URLSearchParams; raw: string }
export interface StripeSession {
  id: string;
  object: "checkout.session";
  url: string;
  status: "open" | "complete" | "expired";
  payment_status: "paid" | "unpaid" | "no_payment_required";
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  customer_email: string | null;
  customer_details: { email: string | null } | null;
  metadata: Record<string, string>;
  expires_at: number;
  mode: "payment";
  success_url: string;
  cancel_url: string;
  livemode: false;
  created: number;
  payment_intent: string | null;
}

const rand = (n: number) => randomBytes(n).toString("hex");

/** Reads `prefix[key]` entries of a form into an object (one level). */
function metadataOf(form: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form) {
    const m = /^metadata\[(.+)\]$/.exec(k);
    if (m) out[m[1]!] = v;
  }
  return out;
}

function amountOf(form: URLSearchParams): number {
  let total = 0;
  for (let i = 0; form.has(`line_items[${i}][quantity]`); i++) {
    total += Number(form.get(`line_items[${i}][price_data][unit_amount]`)) * Number(form.get(`line_items[${i}][quantity]`));
  }
  return total;
}

export type Fault = { status: number; body: unknown; headers?: Record<string, string> } | "network";

export function useStripeDouble(server: SetupServer) {
  const requests: RecordedRequest[] = [];
  const byKey = new Map<string, StripeSession>();
  const faults: Fault[] = [];
  let delayMs = 0;

  const coupons = new Map<string, { id: string; amount_off: number; currency: string; max_redemptions: number | null; duration: string }>();
  const install = () =>
    server.use(
      // Coupons: amount_off in minor units; the same idempotency key returns the same coupon.
      http.post(`${STRIPE_BASE}/v1/coupons`, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        requests.push({ headers: request.headers, form, raw: form.toString() });
        const key = request.headers.get("idempotency-key") ?? `none-${rand(4)}`;
        const existing = coupons.get(key);
        if (existing) return HttpResponse.json({ object: "coupon", ...existing });
        const coupon = {
          id: `cpn_${rand(8)}`,
          amount_off: Number(form.get("amount_off")),
          currency: form.get("currency") ?? "eur",
          max_redemptions: form.has("max_redemptions") ? Number(form.get("max_redemptions")) : null,
          duration: form.get("duration") ?? "once",
        };
        coupons.set(key, coupon);
        return HttpResponse.json({ object: "coupon", valid: true, times_redeemed: 0, livemode: false, metadata: {}, ...coupon });
      }),
      http.post(`${STRIPE_BASE}/v1/checkout/sessions`, async ({ request }) => {
        const raw = await request.text();
        const form = new URLSearchParams(raw);
        requests.push({ headers: request.headers, form, raw });
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        const fault = faults.shift();
        if (fault === "network") return HttpResponse.error();
        if (fault) return HttpResponse.json(fault.body as Record<string, unknown>, { status: fault.status, headers: fault.headers ?? {} });
        const key = request.headers.get("idempotency-key") ?? `none-${rand(4)}`;
        const existing = byKey.get(key);
        if (existing) return HttpResponse.json(existing, { headers: { "idempotent-replayed": "true", "request-id": `req_${rand(6)}` } });
        const id = `cs_test_${rand(12)}`;
        const couponId = form.get("discounts[0][coupon]");
        const off = couponId ? ([...coupons.values()].find((c) => c.id === couponId)?.amount_off ?? 0) : 0;
        const amount = amountOf(form) - off;
        const session: StripeSession = {
          id,
          object: "checkout.session",
          url: `https://checkout.stripe.com/c/pay/${id}`,
          status: "open",
          payment_status: "unpaid",
          amount_subtotal: amount + off,
          amount_total: amount,
          currency: form.get("line_items[0][price_data][currency]") ?? "eur",
          client_reference_id: form.get("client_reference_id"),
          customer_email: form.get("customer_email"),
          customer_details: null,
          metadata: metadataOf(form),
          expires_at: Number(form.get("expires_at")),
          mode: "payment",
          success_url: form.get("success_url") ?? "",
          cancel_url: form.get("cancel_url") ?? "",
          livemode: false,
          created: Math.floor(Date.now() / 1000),
          payment_intent: null,
        };
        byKey.set(key, session);
        return HttpResponse.json(session, { headers: { "request-id": `req_${rand(6)}` } });
      }),
    );

  return {
    install,
    requests,
    /** Requests to one endpoint ("/v1/coupons" or "/v1/checkout/sessions"). */
    sessionRequests: () => requests.filter((r) => r.form.has("mode")),
    sessions: () => [...new Set(byKey.values())],
    /** Answers the next requests with these faults, in order. */
    fail: (...f: Fault[]) => void faults.push(...f),
    delay: (ms: number) => void (delayMs = ms),
    reset() {
      requests.length = 0;
      byKey.clear();
      coupons.clear();
      faults.length = 0;
      delayMs = 0;
    },
  };
}

/** A Stripe error body, e.g. `stripeError(400, "invalid_request_error", "amount_too_small")`. */
export function stripeError(type: string, code: string | undefined, message: string) {
  return { error: { type, ...(code ? { code } : {}), message } };
}

// ---------------------------------------------------------------------------------------------
// Webhooks

export function sessionEvent(
  type: string,
  session: Partial<StripeSession> & { id: string },
  eventId = `evt_${rand(12)}`,
): Record<string, unknown> {
  return {
    id: eventId,
    object: "event",
    api_version: Stripe.API_VERSION,
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        object: "checkout.session",
        status: type === "checkout.session.expired" ? "expired" : "complete",
        payment_status: "paid",
        mode: "payment",
        livemode: false,
        ...session,
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}

/** A POST to the webhook signed like Stripe does (`t=…,v1=…`). */
export function signedWebhook(
  payload: string,
  opts: { secret?: string; timestamp?: number; header?: string | null } = {},
): Request {
  const header =
    opts.header !== undefined
      ? opts.header
      : Stripe.webhooks.generateTestHeaderString({
          payload,
          secret: opts.secret ?? WEBHOOK_SECRET,
          ...(opts.timestamp !== undefined ? { timestamp: opts.timestamp } : {}),
        });
  return req("/api/stripe-webhook", {
    method: "POST",
    body: payload,
    headers: { "content-type": "application/json", ...(header ? { "stripe-signature": header } : {}) },
  });
}
