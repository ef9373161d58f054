import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { HttpResponse, http } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { POST as postLead } from "../../api/lead.js";
import { UpstreamError } from "../../lib/http/errors.js";
import { serviceBreaker } from "../../lib/http/index.js";
import { route } from "../../lib/route.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";

const server = useMsw();

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/i;
type Line = Record<string, unknown> & { msg: string; level: string };

let written: string[];
let services: Services | undefined;
beforeEach(() => {
  written = [];
  const capture = (chunk: unknown) => {
    written.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, "write").mockImplementation(capture as typeof process.stdout.write);
  vi.spyOn(process.stderr, "write").mockImplementation(capture as typeof process.stderr.write);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await services?.store.close();
  services = undefined;
});

/** Every line the app wrote; each must be one JSON object. */
function lines(): Line[] {
  return written
    .join("")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      expect(() => JSON.parse(l), `not a JSON line: ${l}`).not.toThrow();
      return JSON.parse(l) as Line;
    });
}

const probe = route("log-probe", {
  GET: { handler: ({ services }) => ({ n: services.config.app.port }) },
  POST: {
    handler: ({ services }) => {
      services.log.info("probe fields", {
        note: "write to jean.martin@example.org or +33 6 98 76 54 32",
        authorization: "Bearer abc.def.ghi",
        headers: { cookie: "sid=123456", accept: "application/json" },
        password: "hunter2",
      });
      return { ok: true };
    },
  },
  DELETE: { handler: () => { throw new Error("bug while handling claire@example.net"); } },
  PATCH: {
    async handler({ services }) {
      await serviceBreaker(services, "drive", async () => {
        throw new UpstreamError({ service: "drive", kind: "http", status: 503, message: "drive answered 503" });
      }).catch(() => undefined);
      return { degraded: true };
    },
  },
});

describe("request logs", () => {
  it("writes one JSON line per request with route, method, status, duration, request id and round trips", async () => {
    services = await createTestServices({ LOG_LEVEL: "info" });
    const ids = ["123e4567-e89b-12d3-a456-426614174000", "req-20261125-0001"];
    const responses = [
      await probe.GET(req("/api/log-probe", { headers: { "x-request-id": ids[0]! } })),
      await probe.GET(req("/api/log-probe", { headers: { "x-request-id": ids[1]! } })),
      await probe.PUT(req("/api/log-probe", { method: "PUT" })),
    ];
    const requests = lines().filter((l) => l.msg === "request");
    expect(requests).toHaveLength(3);
    expect(requests.map((l) => [l.route, l.method, l.status])).toEqual([
      ["log-probe", "GET", 200],
      ["log-probe", "GET", 200],
      ["log-probe", "PUT", 405],
    ]);
    for (const [i, l] of requests.entries()) {
      expect(l.level).toBe("info");
      expect(typeof l.durationMs).toBe("number");
      expect(l.roundTrips).toBe(0);
      // The id in the log is the one on the response, untouched by redaction.
      expect(l.requestId).toBe(responses[i]!.headers.get("x-request-id"));
    }
    expect(requests[0]!.requestId).toBe(ids[0]);
  });

  it("puts breaker state changes on the request line", async () => {
    services = await createTestServices({ LOG_LEVEL: "info", DRIVE_CB_FAILURE_THRESHOLD: "1" });
    await probe.PATCH(req("/api/log-probe", { method: "PATCH" }));
    const all = lines();
    expect(all.find((l) => l.msg === "request")?.breakerEvents).toEqual(["drive: opened after 1 failures"]);
    expect(all.some((l) => l.msg === "breaker state changed" && l.breaker === "drive")).toBe(true);
  });

  it("has no email address or phone number in any line of a lead request, even when Wix echoes them back", async () => {
    // Wix refuses the contact and repeats the shopper's details in its error body.
    server.use(
      http.all("http://wix.test/*", () =>
        HttpResponse.json(
          { message: "Contact marie.dupont@example.com (+33612345678) is invalid", details: { applicationError: { code: "INVALID_CONTACT", description: "marie.dupont@example.com" } } },
          { status: 400 },
        ),
      ),
    );
    const outbox = mkdtempSync(path.join(tmpdir(), "comptoir-outbox-"));
    services = await createTestServices({
      LOG_LEVEL: "debug",
      OUTBOX_DIR: outbox,
      NOTIFICATION_EMAIL: "owner@shop.example",
      WIX_API_KEY: "IST.wix-test-key",
      WIX_SITE_ID: "site-123",
      WIX_API_BASE_URL: "http://wix.test",
      WIX_RETRY_ATTEMPTS: "0",
    });
    const res = await postLead(
      req("/api/lead", {
        body: {
          email: "marie.dupont@example.com",
          name: "Marie Dupont",
          phone: "+33 6 12 34 56 78",
          message: "Rappelez-moi au 06 12 34 56 78 ou à marie.dupont@example.com",
          consent: true,
        },
      }),
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const all = lines();
    expect(all.filter((l) => l.msg === "request" && l.route === "lead")).toHaveLength(1);
    expect(all.some((l) => l.msg === "upstream" && l.service === "wix")).toBe(true);
    expect(all.length).toBeGreaterThan(2);
    for (const l of all) {
      const text = JSON.stringify(l);
      expect(text, `email in a log line: ${text}`).not.toMatch(EMAIL);
      expect(text, `phone in a log line: ${text}`).not.toMatch(/6 ?12 ?34 ?56 ?78/);
      expect(text).not.toContain("Dupont");
    }
  });

  it("masks PII and secrets a handler logs by mistake", async () => {
    services = await createTestServices({ LOG_LEVEL: "info" });
    await probe.POST(req("/api/log-probe", { method: "POST" }));
    const line = lines().find((l) => l.msg === "probe fields")!;
    expect(line).toMatchObject({
      note: "write to [email] or [phone]",
      authorization: "[redacted]",
      headers: { cookie: "[redacted]", accept: "application/json" },
      password: "[redacted]",
    });
  });

  it("respects LOG_LEVEL: at warn, bugs are logged (without PII) and request lines are not", async () => {
    services = await createTestServices({ LOG_LEVEL: "warn" });
    const res = await probe.DELETE(req("/api/log-probe", { method: "DELETE" }));
    expect(res.status).toBe(500);
    const all = lines();
    expect(all.filter((l) => l.msg === "request")).toHaveLength(0);
    const bug = all.find((l) => l.msg === "unhandled error")!;
    expect(bug).toMatchObject({ level: "error", route: "log-probe", error: "bug while handling [email]" });
    expect(JSON.stringify(all)).not.toMatch(EMAIL);
  });

  it("stays silent at LOG_LEVEL=silent", async () => {
    services = await createTestServices({ LOG_LEVEL: "silent" });
    await probe.DELETE(req("/api/log-probe", { method: "DELETE" }));
    expect(lines()).toHaveLength(0);
  });
});
