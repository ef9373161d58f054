/** lib/http against msw fault injection: what is retried, when, and how the breaker sees it. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { delay, http, HttpResponse } from "msw";
import { BreakerOpenError, UpstreamError, createHttpClient, type HttpClient } from "../../lib/http/index.js";
import type { Services } from "../../lib/services.js";
import { createTestServices } from "../helpers/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestStore } from "../helpers/store.js";
import type { PgliteStore } from "../../lib/store/pglite.js";

const server = useMsw();
const BASE = "https://api.upstream.test";
let services: Services;
let store: PgliteStore;
let client: HttpClient;

beforeAll(async () => {
  store = await createTestStore();
  services = await createTestServices({}, store);
});
afterAll(() => services.store.close());

function makeClient(over: Partial<{ timeoutMs: number; attempts: number; baseDelayMs: number; threshold: number }> = {}) {
  const breakers = { ...services.config.breakers, wix: { threshold: over.threshold ?? 50, openMs: 60_000 } };
  return createHttpClient(
    { store: services.store, log: services.log, breakers },
    {
      service: "wix",
      baseUrl: BASE,
      timeoutMs: over.timeoutMs ?? 1000,
      retry: { attempts: over.attempts ?? 3, baseDelayMs: over.baseDelayMs ?? 10, maxDelayMs: 2000 },
      errorCode: (b) => (b as { details?: { applicationError?: { code?: string } } })?.details?.applicationError?.code,
    },
  );
}

async function breakerRow(name: string) {
  return (await services.store.rpc<{ name: string; failures: number; state: string }[]>("breaker_states")).find((b) => b.name === name);
}

beforeEach(async () => {
  client = makeClient();
  await store.db.query("delete from public.app_breaker");
});

describe("http client", () => {
  it("returns parsed JSON and sends the request it was given", async () => {
    let seen: Request | undefined;
    server.use(http.post(`${BASE}/stores/v1/products/query`, ({ request }) => ((seen = request.clone()), HttpResponse.json({ products: [] }))));
    const data = await client.json({ method: "POST", path: "/stores/v1/products/query", json: { query: {} }, idempotent: true, headers: { authorization: "k" } });
    expect(data).toEqual({ products: [] });
    expect(seen!.headers.get("authorization")).toBe("k");
    expect(seen!.headers.get("content-type")).toBe("application/json");
    expect(await seen!.json()).toEqual({ query: {} });
  });

  it("retries once after a 500 and succeeds", async () => {
    let calls = 0;
    server.use(http.get(`${BASE}/thing`, () => (++calls === 1 ? HttpResponse.json({ message: "boom" }, { status: 500 }) : HttpResponse.json({ ok: true }))));
    expect(await client.json({ path: "/thing" })).toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  it("gives up after the configured attempts with a typed, retryable error", async () => {
    let calls = 0;
    server.use(http.get(`${BASE}/down`, () => (calls++, HttpResponse.json({ message: "unavailable" }, { status: 503 }))));
    const err = await client.json({ path: "/down" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ service: "wix", status: 503, retryable: true, kind: "http" });
    expect(calls).toBe(4); // 1 + 3 retries
    expect((await breakerRow("wix"))?.failures).toBe(4);
  });

  it("times out an attempt that hangs, and retries it", async () => {
    const c = makeClient({ timeoutMs: 100, attempts: 1 });
    let calls = 0;
    server.use(http.get(`${BASE}/slow`, async () => (calls++, await delay(2000), HttpResponse.json({}))));
    const started = Date.now();
    const err = await c.json({ path: "/slow" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "UpstreamError", kind: "timeout", retryable: true });
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("treats a connection reset as a retryable network error", async () => {
    let calls = 0;
    server.use(http.get(`${BASE}/reset`, () => (++calls < 3 ? HttpResponse.error() : HttpResponse.json({ ok: 1 }))));
    expect(await client.json({ path: "/reset" })).toEqual({ ok: 1 });
    expect(calls).toBe(3);
  });

  it("waits for Retry-After (1 s) instead of the backoff on a 429", async () => {
    const c = makeClient({ baseDelayMs: 5 });
    const times: number[] = [];
    server.use(
      http.get(`${BASE}/limited`, () => {
        times.push(Date.now());
        return times.length === 1 ? HttpResponse.json({ message: "slow down" }, { status: 429, headers: { "retry-after": "1" } }) : HttpResponse.json({ ok: true });
      }),
    );
    expect(await c.json({ path: "/limited" })).toEqual({ ok: true });
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
    expect(times[1]! - times[0]!).toBeLessThan(2500);
  });

  it("does not retry a 400 and does not count it against the breaker", async () => {
    let calls = 0;
    server.use(
      http.post(`${BASE}/contacts`, () =>
        (calls++, HttpResponse.json({ message: "bad", details: { applicationError: { code: "INVALID_EMAIL" } } }, { status: 400 })),
      ),
    );
    const err = await client.json({ method: "POST", path: "/contacts", json: {}, idempotencyKey: "k1" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "UpstreamError", status: 400, retryable: false, code: "INVALID_EMAIL" });
    expect(calls).toBe(1);
    expect((await breakerRow("wix"))?.failures ?? 0).toBe(0);
  });

  it("never retries a POST without an idempotency key", async () => {
    let calls = 0;
    server.use(http.post(`${BASE}/create`, () => (calls++, HttpResponse.json({}, { status: 502 }))));
    await expect(client.json({ method: "POST", path: "/create", json: {} })).rejects.toMatchObject({ status: 502 });
    expect(calls).toBe(1);
  });

  it("retries a POST that carries an idempotency key, sending it each time", async () => {
    const keys: (string | null)[] = [];
    server.use(http.post(`${BASE}/create`, ({ request }) => (keys.push(request.headers.get("idempotency-key")), keys.length === 1 ? HttpResponse.json({}, { status: 502 }) : HttpResponse.json({ id: 1 }))));
    expect(await client.json({ method: "POST", path: "/create", json: {}, idempotencyKey: "cart-abc" })).toEqual({ id: 1 });
    expect(keys).toEqual(["cart-abc", "cart-abc"]);
  });

  it("stops retrying when the time budget is exhausted, with a clear error", async () => {
    let calls = 0;
    server.use(http.get(`${BASE}/budget`, () => (calls++, HttpResponse.json({}, { status: 429, headers: { "retry-after": "5" } }))));
    const started = Date.now();
    const err = await client.json({ path: "/budget", deadline: Date.now() + 1500 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "UpstreamError", kind: "budget", retryable: false });
    expect((err as Error).message).toContain("budget");
    expect(calls).toBe(1);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("honours an HTTP-date Retry-After", async () => {
    const c = makeClient();
    const times: number[] = [];
    server.use(
      http.get(`${BASE}/date`, () => {
        times.push(Date.now());
        const at = new Date(Date.now() + 2000).toUTCString();
        return times.length === 1 ? HttpResponse.json({}, { status: 503, headers: { "retry-after": at } }) : HttpResponse.json({ ok: true });
      }),
    );
    expect(await c.json({ path: "/date" })).toEqual({ ok: true });
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
  });

  it("rejects malformed JSON from a 200 as an invalid response", async () => {
    const c = makeClient({ attempts: 0 });
    server.use(http.get(`${BASE}/garbled`, () => new HttpResponse('{"products": [', { headers: { "content-type": "application/json" } })));
    await expect(c.json({ path: "/garbled" })).rejects.toMatchObject({ name: "UpstreamError", kind: "invalid_response" });
  });

  it("gives each caller of one service its own headers (a token is never borrowed from another client)", async () => {
    const { httpClient } = await import("../../lib/http/index.js");
    const seen: (string | null)[] = [];
    server.use(http.get(`${BASE}/who`, ({ request }) => (seen.push(request.headers.get("authorization")), HttpResponse.json({}))));
    const opts = { service: "wix" as const, baseUrl: BASE, timeoutMs: 1000, retry: { attempts: 0, baseDelayMs: 1, maxDelayMs: 1 } };
    await httpClient(services, opts).json({ path: "/who" });
    await httpClient(services, { ...opts, headers: { authorization: "Bearer owner-alert" } }).json({ path: "/who" });
    expect(seen).toEqual([null, "Bearer owner-alert"]);
  });

  it("opens the breaker at the threshold: later calls send no request", async () => {
    const c = makeClient({ threshold: 3, attempts: 0 });
    let calls = 0;
    server.use(http.get(`${BASE}/dead`, () => (calls++, HttpResponse.json({}, { status: 500 }))));
    for (let i = 0; i < 3; i++) await expect(c.json({ path: "/dead" })).rejects.toBeInstanceOf(UpstreamError);
    const err = await c.json({ path: "/dead" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BreakerOpenError);
    expect((err as BreakerOpenError).retryAfterMs).toBeGreaterThan(0);
    expect(calls).toBe(3);
    expect(await breakerRow("wix")).toMatchObject({ state: "open", failures: 3 });
  });
});
