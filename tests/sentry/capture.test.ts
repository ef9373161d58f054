import { http, HttpResponse } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { BreakerOpenError, UpstreamError } from "../../lib/http/errors.js";
import { route } from "../../lib/route.js";
import type { Services } from "../../lib/services.js";
import { StoreError } from "../../lib/store/store.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";

const INGEST = "http://sentry.test/api/1/envelope/";
const server = useMsw();
let services: Services;
let envelopes: string[];

beforeAll(async () => {
  services = await createTestServices({ SENTRY_DSN: "http://public@sentry.test/1", VERCEL_GIT_COMMIT_SHA: "3f1c9e2", SENTRY_ENVIRONMENT: "staging" });
});
afterAll(() => services.store.close());
beforeEach(() => {
  envelopes = [];
  server.use(
    http.post(INGEST, async ({ request }) => {
      envelopes.push(await request.text());
      return HttpResponse.json({ id: "0".repeat(32) });
    }),
  );
});

const PII = {
  email: "marie.dupont@example.com",
  phone: "+33 6 12 34 56 78",
  token: "sk_test_51HxYzAbCdEfGhIjKlMnOp",
  bearer: "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl",
  cookie: "session=9f8e7d6c5b4a",
};

const shop = route("sentry-probe", {
  POST: {
    body: z.object({ email: z.string(), phone: z.string() }),
    handler: ({ body }) => {
      // A real bug whose message drags personal data and a secret along.
      throw new TypeError(`cannot reach ${body.email} at ${body.phone} with ${PII.token} (${PII.bearer})`);
    },
  },
  GET: { handler: () => { throw new BreakerOpenError("wix", 30_000); } },
  PUT: { handler: () => { throw new UpstreamError({ service: "stripe", kind: "http", status: 503, message: "stripe answered 503" }); } },
  DELETE: { handler: () => { throw new StoreError("connection refused", "ECONNREFUSED", "lead_insert"); } },
  PATCH: {
    handler: ({ waitUntil }) => {
      waitUntil(Promise.reject(new RangeError(`deferred bug for ${PII.email}`)));
      return { ok: true };
    },
  },
});

/** Items of a Sentry envelope: a header line, then (item header, payload) pairs. */
function eventsIn(envelope: string): Record<string, any>[] {
  const lines = envelope.split("\n").filter(Boolean);
  const events: Record<string, any>[] = [];
  for (let i = 1; i < lines.length; i += 2) {
    const header = JSON.parse(lines[i]!) as { type: string };
    if (header.type === "event") events.push(JSON.parse(lines[i + 1]!));
  }
  return events;
}

describe("Sentry reporting", () => {
  it("sends one scrubbed event for a thrown bug, tagged with the route and the request id", async () => {
    const res = await shop.POST(
      req("/api/sentry-probe", {
        body: { email: PII.email, phone: PII.phone },
        headers: { authorization: PII.bearer, cookie: PII.cookie, "x-request-id": "req-sentry-0001" },
      }),
    );
    expect(res.status).toBe(500);
    expect(envelopes).toHaveLength(1);
    const events = eventsIn(envelopes[0]!);
    expect(events).toHaveLength(1);
    const event = events[0]!;
    expect(event.exception.values[0].type).toBe("TypeError");
    expect(event.environment).toBe("staging");
    expect(event.release).toBe("3f1c9e2");
    expect(event.tags).toMatchObject({ route: "sentry-probe", method: "POST", request_id: "req-sentry-0001" });
    expect(event.exception.values[0].value).toContain("[email]");
    expect(event.user).toBeUndefined();

    const raw = envelopes[0]!;
    for (const [what, value] of Object.entries(PII)) expect(raw, `${what} leaked into the Sentry payload`).not.toContain(value);
    expect(raw).not.toMatch(/[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i);
    expect(raw).not.toMatch(/6 12 34 56 78|612345678/);
    expect(raw).not.toMatch(/sk_test_|eyJhbGci|session=/);
  });

  it("reports a bug in work deferred with waitUntil", async () => {
    const res = await shop.PATCH(req("/api/sentry-probe", { method: "PATCH" }));
    expect(res.status).toBe(200);
    expect(envelopes).toHaveLength(1);
    const [event] = eventsIn(envelopes[0]!);
    expect(event!.exception.values[0].type).toBe("RangeError");
    expect(event!.extra).toMatchObject({ deferred: true });
    expect(envelopes[0]).not.toContain(PII.email);
  });

  it.each([
    ["an open breaker", "GET", 502],
    ["an upstream 503", "PUT", 502],
    ["a store outage", "DELETE", 503],
  ] as const)("does not report %s (an outage, not a bug)", async (_what, method, status) => {
    const res = await shop[method](req("/api/sentry-probe", { method }));
    expect(res.status).toBe(status);
    expect(envelopes).toHaveLength(0);
  });

  it("still answers 500 promptly when Sentry itself is unreachable", async () => {
    server.use(http.post(INGEST, () => HttpResponse.error()));
    const started = Date.now();
    const res = await shop.POST(req("/api/sentry-probe", { body: { email: PII.email, phone: PII.phone } }));
    expect(res.status).toBe(500);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
