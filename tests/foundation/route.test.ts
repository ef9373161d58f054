import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, statusOf, type ErrorCode } from "../../lib/errors.js";
import { route } from "../../lib/route.js";
import type { Services } from "../../lib/services.js";
import { StoreError } from "../../lib/store/store.js";
import { createTestServices, req } from "../helpers/services.js";

let services: Services;
beforeAll(async () => {
  services = await createTestServices({ ALLOWED_ORIGINS: "https://myshop.wixsite.com" });
});
afterAll(() => services.store.close());

const echo = route("echo", {
  POST: {
    body: z.object({ name: z.string().min(1), qty: z.number().int().positive() }),
    handler: ({ body }) => ({ hello: body.name, qty: body.qty }),
  },
  GET: {
    query: z.object({ id: z.string().regex(/^\d+$/) }),
    handler: ({ query }) => ({ id: query.id }),
  },
  DELETE: {
    handler: () => {
      throw new Error("a real bug with a secret inside: sk_test_abcdefghijklmnop");
    },
  },
  PATCH: {
    handler: () => {
      throw new StoreError("connection refused", "ECONNREFUSED", "x");
    },
  },
  PUT: {
    handler: () => {
      throw new ApiError("rate_limited", "Slow down.", { retryAfterSeconds: 7 });
    },
  },
});

async function errorOf(res: Response) {
  const body = (await res.json()) as { error: { code: string; message: string; details?: unknown } };
  return body.error;
}

describe("route wrapper", () => {
  it("answers a valid request with JSON and a request id", async () => {
    const res = await echo.POST(req("/api/echo", { body: { name: "Marie", qty: 2 } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: "Marie", qty: 2 });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("400 invalid_json for malformed JSON", async () => {
    const res = await echo.POST(req("/api/echo", { body: '{"name": "Marie",' }));
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: "invalid_json" });
  });

  it("400 validation_failed names the failing fields", async () => {
    const res = await echo.POST(req("/api/echo", { body: { name: "", qty: 2.5 } }));
    expect(res.status).toBe(400);
    const err = await errorOf(res);
    expect(err.code).toBe("validation_failed");
    expect((err.details as { path: string }[]).map((d) => d.path).sort()).toEqual(["name", "qty"]);
  });

  it("400 for an invalid query string", async () => {
    const res = await echo.GET(req("/api/echo?id=abc"));
    expect(res.status).toBe(400);
    expect((await echo.GET(req("/api/echo?id=42"))).status).toBe(200);
  });

  it("405 with Allow for a method the route does not declare", async () => {
    const health = route("h", { GET: { handler: () => ({}) } });
    const res = await health.POST(req("/api/h", { body: {} }));
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, OPTIONS");
    expect(await errorOf(res)).toMatchObject({ code: "method_not_allowed" });
  });

  it("413 over the body limit, by header and by actual size", async () => {
    const big = JSON.stringify({ name: "x".repeat(70 * 1024), qty: 1 });
    expect((await echo.POST(req("/api/echo", { body: big }))).status).toBe(413);
    const lying = req("/api/echo", { body: big, headers: { "content-length": "10" } });
    const res = await echo.POST(lying);
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code: "payload_too_large" });
  });

  it("415 for a body that is not JSON", async () => {
    const res = await echo.POST(req("/api/echo", { body: "name=Marie", headers: { "content-type": "application/x-www-form-urlencoded" } }));
    expect(res.status).toBe(415);
  });

  it("429 with Retry-After from a thrown rate_limited error", async () => {
    const res = await echo.PUT(req("/api/echo", { method: "PUT" }));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
  });

  it("500 for a real bug: no stack, no secret, a reference to the request id", async () => {
    const res = await echo.DELETE(req("/api/echo", { method: "DELETE" }));
    expect(res.status).toBe(500);
    const err = await errorOf(res);
    expect(err.code).toBe("internal");
    expect(err.message).toContain(res.headers.get("x-request-id")!);
    expect(JSON.stringify(err)).not.toMatch(/sk_test|at .*\.ts/);
  });

  it("503 store_unavailable when the database is down", async () => {
    const res = await echo.PATCH(req("/api/echo", { method: "PATCH" }));
    expect(res.status).toBe(503);
    expect(await errorOf(res)).toMatchObject({ code: "store_unavailable" });
  });

  it("allows a listed origin with CORS headers and refuses another", async () => {
    const ok = await echo.POST(req("/api/echo", { body: { name: "a", qty: 1 }, headers: { origin: "https://myshop.wixsite.com" } }));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://myshop.wixsite.com");
    const denied = await echo.POST(req("/api/echo", { body: { name: "a", qty: 1 }, headers: { origin: "https://evil.example" } }));
    expect(denied.status).toBe(403);
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
    const same = await echo.POST(req("/api/echo", { body: { name: "a", qty: 1 }, headers: { origin: "http://shop.test" } }));
    expect(same.status).toBe(200);
  });

  it("answers a preflight for an allowed origin and refuses it for another", async () => {
    const pre = await echo.OPTIONS(req("/api/echo", { method: "OPTIONS", headers: { origin: "https://myshop.wixsite.com", "access-control-request-method": "POST" } }));
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe("https://myshop.wixsite.com");
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    const bad = await echo.OPTIONS(req("/api/echo", { method: "OPTIONS", headers: { origin: "https://evil.example" } }));
    expect(bad.status).toBe(403);
  });

  it("keeps a well-formed incoming request id", async () => {
    const res = await echo.GET(req("/api/echo?id=1", { headers: { "x-request-id": "abc-123-def-456" } }));
    expect(res.headers.get("x-request-id")).toBe("abc-123-def-456");
  });

  it("maps every error code to a status", () => {
    const expected: Record<ErrorCode, number> = {
      invalid_json: 400, validation_failed: 400, bad_request: 400, unauthorized: 401, invalid_signature: 401,
      forbidden: 403, origin_not_allowed: 403, not_found: 404, method_not_allowed: 405, request_timeout: 408, conflict: 409, window_closed: 409, gone: 410,
      payload_too_large: 413, unsupported_media_type: 415, unprocessable: 422, rate_limited: 429, client_closed: 499, internal: 500,
      upstream_unavailable: 502, store_unavailable: 503, payments_not_configured: 503, not_configured: 503,
    };
    for (const [code, status] of Object.entries(expected)) expect(statusOf(code as ErrorCode), code).toBe(status);
  });

  it("runs deferred work before answering outside a platform, and hands it to the platform's waitUntil", async () => {
    const order: string[] = [];
    const r = route("defer", {
      POST: {
        rawBody: true,
        handler: ({ waitUntil }) => {
          waitUntil(new Promise((res) => setTimeout(() => res(order.push("work")), 20)));
          return { ok: true };
        },
      },
    });
    await r.POST(req("/api/defer", { body: "{}" }));
    order.push("answered");
    expect(order).toEqual(["work", "answered"]);
    const handed: Promise<unknown>[] = [];
    await r.POST(req("/api/defer", { body: "{}" }), { waitUntil: (p) => void handed.push(p) });
    expect(handed).toHaveLength(1);
    await handed[0];
  });
});
