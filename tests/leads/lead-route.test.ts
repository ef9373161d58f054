/**
 * POST /api/lead at the HTTP edge: validation, honeypot, rate limit, upsert with history, the
 * CRM sync that survives a Wix outage (pending, then synced by the cron job), the owner's
 * notification (escaped, deduplicated), the zero-key path (outbox .eml), and round trips.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GET as cron } from "../../api/cron/cleanup.js";
import { POST } from "../../api/lead.js";
import { captureLead, leadGet } from "../../lib/leads/index.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { startDevServer } from "../../scripts/dev-server.js";
import { startSmtpServer, type TestSmtpServer } from "../email/smtp-server.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";
import { createPgDatabase, setDbNow, TEST_DATABASE_URL } from "../helpers/store.js";

const server = useMsw();
let outboxRoot: string;
let smtp: TestSmtpServer;
const opened: Services[] = [];
let ipCounter = 0;
let outboxCounter = 0;

async function services(env: Record<string, string> = {}) {
  const s = await createTestServices({ OUTBOX_DIR: path.join(outboxRoot, `o${++outboxCounter}`), ...env });
  opened.push(s);
  return s;
}
const post = (body: unknown, ip = `203.0.113.${++ipCounter}`) => POST(req("/api/lead", { body, headers: { "x-real-ip": ip } }));
const count = async (s: Services, table: string) => (await (s.store as PgliteStore).db.query<{ n: number }>(`select count(*)::int as n from public.${table}`)).rows[0]!.n;
const outboxFiles = async (s: Services) => readdir(s.config.email.outboxDir).catch(() => [] as string[]);

beforeAll(async () => {
  outboxRoot = await mkdtemp(path.join(tmpdir(), "comptoir-leads-"));
  smtp = await startSmtpServer();
});
afterEach(async () => {
  smtp.received.length = 0;
  await Promise.all(opened.splice(0).map((s) => s.store.close()));
});
afterAll(async () => {
  await smtp.close();
  await rm(outboxRoot, { recursive: true, force: true });
});

describe("validation", () => {
  const long = (n: number) => "x".repeat(n);
  it.each([
    { name: "missing email", body: { name: "Marie" }, path: "email" },
    { name: "email not an address", body: { email: "marie" }, path: "email" },
    { name: "email without a domain", body: { email: "marie@" }, path: "email" },
    { name: "email with spaces", body: { email: "ma rie@example.fr" }, path: "email" },
    { name: "email too long", body: { email: `${long(250)}@example.fr` }, path: "email" },
    { name: "email not text", body: { email: 42 }, path: "email" },
    { name: "phone with letters", body: { email: "m@example.fr", phone: "call me" }, path: "phone" },
    { name: "phone too short", body: { email: "m@example.fr", phone: "+33 6 12" }, path: "phone" },
    { name: "phone too long", body: { email: "m@example.fr", phone: "+33 6 12 34 56 78 90 12 34" }, path: "phone" },
    { name: "phone with two plus signs", body: { email: "m@example.fr", phone: "+33+612345678" }, path: "phone" },
    { name: "name too long", body: { email: "m@example.fr", name: long(101) }, path: "name" },
    { name: "message too long", body: { email: "m@example.fr", message: long(2001) }, path: "message" },
    { name: "source with spaces", body: { email: "m@example.fr", source: "web page" }, path: "source" },
    { name: "consent not a boolean", body: { email: "m@example.fr", consent: "maybe" }, path: "consent" },
    { name: "conversationId too long", body: { email: "m@example.fr", conversationId: long(129) }, path: "conversationId" },
  ])("$name -> 400 naming $path", async ({ body, path: field }) => {
    const s = await services();
    const res = await post(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { code: string; details: { path: string; message: string }[] } };
    expect(json.error.code).toBe("validation_failed");
    expect(json.error.details.map((d) => d.path)).toContain(field);
    expect(await count(s, "app_lead")).toBe(0);
  });

  it.each([
    { phone: "+33 6 12 34 56 78", stored: "+33612345678" },
    { phone: "06.12.34.56.78", stored: "+33612345678" },
    { phone: "0033 6 12 34 56 78", stored: "+33612345678" },
    { phone: "+1 (415) 555-2671", stored: "+14155552671" },
  ])("accepts phone $phone and stores $stored", async ({ phone, stored }) => {
    const s = await services();
    const res = await post({ email: "marie@example.fr", phone, name: "", message: "" });
    expect(res.status).toBe(201);
    const { leadId } = (await res.json()) as { leadId: string };
    const lead = await leadGet(s.store, leadId);
    expect(lead?.lead).toMatchObject({ phone: stored, name: null, message: null });
  });

  it("rejects a body that is not JSON", async () => {
    await services();
    const res = await POST(req("/api/lead", { body: "email=marie@example.fr", headers: { "content-type": "application/json" } }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
  });

  it("captureLead (the assistant's tool) refuses an invalid lead with the same field errors", async () => {
    const s = await services();
    await expect(captureLead(s, { email: "not-an-email" })).rejects.toMatchObject({
      code: "validation_failed",
      extra: { details: [expect.objectContaining({ path: "email" })] },
    });
  });
});

describe("storage", () => {
  it("answers 201 for a new lead and 200 for the same email, keeping every submission", async () => {
    const s = await services();
    const first = await post({ email: "Marie@Example.fr", name: "Marie", phone: "+33612345678", message: "Bonjour", consent: true, source: "web" });
    expect(first.status).toBe(201);
    const a = (await first.json()) as { leadId: string; created: boolean; crmSync: string };
    // The CRM copy runs after the response: queued in the answer, done in the row.
    expect(a).toMatchObject({ created: true, crmSync: "pending" });

    const second = await post({ email: "marie@example.fr", message: "Et en rouge ?" });
    expect(second.status).toBe(200);
    const b = (await second.json()) as { leadId: string; created: boolean };
    expect(b).toMatchObject({ leadId: a.leadId, created: false });

    const stored = await leadGet(s.store, a.leadId);
    expect(stored?.lead).toMatchObject({ email: "marie@example.fr", name: "Marie", phone: "+33612345678", message: "Et en rouge ?", consent: true, submissions: 2, crm_sync: "synced" });
    expect(stored?.submissions.map((x) => x.message)).toEqual(["Bonjour", "Et en rouge ?"]);
    expect(await count(s, "app_lead")).toBe(1);
  });

  it("10 parallel submissions of one email make one lead with 10 submissions", async () => {
    const s = await services();
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => post({ email: "paul@example.fr", message: `m${i}` })));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(9);
    expect(await count(s, "app_lead")).toBe(1);
    expect(await count(s, "app_lead_submission")).toBe(10);
  });
});

describe("abuse", () => {
  it("a filled honeypot answers like a success but stores and sends nothing", async () => {
    const s = await services();
    const res = await post({ email: "bot@example.fr", name: "Bot", website: "http://spam.example" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { leadId: string; created: boolean };
    expect(body).toMatchObject({ leadId: expect.stringMatching(/^[0-9a-f-]{36}$/), created: true });
    expect(await leadGet(s.store, body.leadId)).toBeNull();
    expect(await count(s, "app_lead")).toBe(0);
    expect(await count(s, "app_notification")).toBe(0);
    expect(await outboxFiles(s)).toEqual([]);
  });

  it("rate limits per IP with 429 and Retry-After", async () => {
    await services({ LEAD_RATE_IP_LIMIT: "2", LEAD_RATE_IP_WINDOW_SECONDS: "600" });
    expect((await post({ email: "a@example.fr" }, "198.51.100.7")).status).toBe(201);
    expect((await post({ email: "b@example.fr" }, "198.51.100.7")).status).toBe(201);
    const limited = await post({ email: "c@example.fr" }, "198.51.100.7");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect((await post({ email: "c@example.fr" }, "198.51.100.8")).status).toBe(201);
  });

  it("mails the owner a lead whose name and message carry HTML, escaped", async () => {
    await services(smtp.env());
    const res = await post({ email: "eve@example.fr", name: "<script>alert(1)</script>", message: '"><img src=x onerror=alert(1)>' });
    expect(res.status).toBe(201);
    const [got] = await smtp.waitFor(1);
    const html = String(got!.mail.html);
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(got!.mail.text).toContain('Message: "><img src=x onerror=alert(1)>');
  });
});

describe("CRM sync (Wix contacts)", () => {
  const WIX = "https://www.wixapis.com";
  const WIX_ENV = { WIX_API_KEY: "wix-key", WIX_SITE_ID: "site-1", WIX_RETRY_ATTEMPTS: "0", CRON_SECRET: "cron-secret-0123456789" };

  it("stores the lead as pending while Wix is down, then the cron job syncs it", async () => {
    let downCalls = 0;
    server.use(
      http.all(`${WIX}/contacts/*`, () => {
        downCalls++;
        return HttpResponse.json({ message: "Service Unavailable" }, { status: 503 });
      }),
    );
    const s = await services(WIX_ENV);
    await setDbNow(s.store as PgliteStore, "2026-11-25T10:00:00Z");
    const res = await post({ email: "marie@example.fr", name: "Marie Durand", phone: "+33612345678" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { leadId: string; crmSync: string };
    expect(body.crmSync).toBe("pending");
    expect(downCalls).toBeGreaterThan(0);
    expect((await leadGet(s.store, body.leadId))?.lead).toMatchObject({ crm_sync: "pending", crm_attempts: 1, crm_contact_id: null });
    // The owner still hears about it.
    expect(await outboxFiles(s)).toHaveLength(1);

    const created: unknown[] = [];
    server.resetHandlers();
    server.use(
      http.post(`${WIX}/contacts/v4/contacts/query`, () => HttpResponse.json({ contacts: [], pagingMetadata: { count: 0, offset: 0, total: 0, tooManyToCount: false } })),
      http.post(`${WIX}/contacts/v4/labels`, () => HttpResponse.json({ label: { key: "custom.chatbot-lead", displayName: "Chatbot Lead", namespace: "custom" }, newLabel: true })),
      http.post(`${WIX}/contacts/v4/contacts`, async ({ request }) => {
        created.push(await request.json());
        return HttpResponse.json({ contact: { id: "wix-contact-1", revision: 1, primaryInfo: { email: "marie@example.fr" } } });
      }),
    );
    // The retry is due after its backoff.
    await setDbNow(s.store as PgliteStore, "2026-11-25T10:05:00Z");
    const run = await cron(req("/api/cron/cleanup", { headers: { authorization: "Bearer cron-secret-0123456789" } }));
    expect(run.status).toBe(200);
    const report = (await run.json()) as { jobs: Record<string, { ok: boolean; counts: Record<string, number> }> };
    expect(report.jobs.lead_crm_sync).toMatchObject({ ok: true, counts: { claimed: 1, synced: 1 } });
    expect(created).toEqual([
      expect.objectContaining({
        info: expect.objectContaining({
          name: { first: "Marie", last: "Durand" },
          emails: { items: [{ email: "marie@example.fr", tag: "MAIN" }] },
          phones: { items: [{ phone: "+33612345678", tag: "MOBILE" }] },
        }),
        allowDuplicates: false,
      }),
    ]);
    expect((await leadGet(s.store, body.leadId))?.lead).toMatchObject({ crm_sync: "synced", crm_contact_id: "wix-contact-1", crm_last_error: null });
    // Nothing left to do on the next run.
    const again = (await (await cron(req("/api/cron/cleanup", { headers: { authorization: "Bearer cron-secret-0123456789" } }))).json()) as typeof report;
    expect(again.jobs.lead_crm_sync!.counts).toMatchObject({ claimed: 0 });
  });

  it("stops counting attempts while the Wix breaker is open, and gives up after the bounded attempts", async () => {
    server.use(http.all(`${WIX}/contacts/*`, () => HttpResponse.json({ message: "down" }, { status: 503 })));
    const s = await services({ ...WIX_ENV, WIX_CB_FAILURE_THRESHOLD: "100" });
    const store = s.store as PgliteStore;
    await setDbNow(store, "2026-11-25T10:00:00Z");
    const { leadId } = (await (await post({ email: "zoe@example.fr" })).json()) as { leadId: string };
    const { retryPendingCrmSyncs, LEAD_CRM_MAX_ATTEMPTS } = await import("../../lib/leads/index.js");
    for (let day = 1; day <= LEAD_CRM_MAX_ATTEMPTS + 2; day++) {
      await setDbNow(store, new Date(Date.parse("2026-11-25T10:00:00Z") + day * 86_400_000).toISOString());
      await retryPendingCrmSyncs(s);
    }
    expect((await leadGet(s.store, leadId))?.lead).toMatchObject({ crm_sync: "failed", crm_attempts: LEAD_CRM_MAX_ATTEMPTS });
  });
});

describe("with no keys at all", () => {
  it("npm run dev: a posted lead is stored and its notification appears in the outbox folder", async () => {
    const s = await services();
    const dev = await startDevServer({ port: 0, quiet: true, services: s });
    try {
      const res = await fetch(`${dev.url}/api/lead`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "marie@example.fr", name: "Marie", message: "Bonjour" }),
      });
      expect(res.status).toBe(201);
      const { leadId, crmSync } = (await res.json()) as { leadId: string; crmSync: string };
      expect(crmSync).toBe("pending"); // copied after the response
      await dev.idle();
      expect((await leadGet(s.store, leadId))?.lead).toMatchObject({ email: "marie@example.fr", crm_sync: "synced" }); // the demo shop's contacts table
      const files = await outboxFiles(s);
      expect(files).toHaveLength(1);
      const eml = await readFile(path.join(s.config.email.outboxDir, files[0]!), "utf8");
      expect(eml).toContain("Subject: [Comptoir] Nouveau lead : Marie");
      expect(eml).toContain("marie@example.fr");
    } finally {
      await dev.close();
    }
  });
});

describe("round trips", () => {
  it("the visitor waits for two round trips (rate limit, store); the CRM copy and the notification follow", async () => {
    const s = await services();
    const calls: string[] = [];
    const rpc = s.store.rpc.bind(s.store);
    s.store.rpc = (async (name: string, args?: Record<string, unknown>) => {
      const result = await rpc(name, args);
      calls.push(name); // recorded when the round trip is over
      return result;
    }) as typeof s.store.rpc;
    const before = s.store.roundTrips;
    const deferred: Promise<unknown>[] = [];
    const res = await POST(req("/api/lead", { body: { email: "rt@example.fr", name: "RT" } }), { waitUntil: (p) => void deferred.push(p) });
    expect(res.status).toBe(201);
    expect(calls).toEqual(["rate_limit_hit", "lead_upsert"]);
    await Promise.all(deferred);
    expect(calls).toEqual(["rate_limit_hit", "lead_upsert", "shop_upsert_contact", "lead_crm_result", "notification_begin", "notification_finish"]);
    expect(s.store.roundTrips - before).toBe(calls.length);
    console.log(`[round trips] one lead, no keys: ${calls.length} in all (${calls.join(", ")})`);
  });
});

describe.runIf(TEST_DATABASE_URL)("on a real PostgreSQL server", () => {
  it("20 parallel captures of one email over many connections make one lead and 20 submissions", async () => {
    const db = await createPgDatabase();
    try {
      const s = await createTestServices({ OUTBOX_DIR: path.join(outboxRoot, "pg") }, db.store);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => captureLead(s, { email: "pg@example.fr", message: `m${i}` })));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.leadId)).size).toBe(1);
      const stored = await leadGet(s.store, results[0]!.leadId);
      expect(stored?.lead.submissions).toBe(20);
      expect(stored?.submissions).toHaveLength(20);
      expect(await readdir(path.join(outboxRoot, "pg"))).toHaveLength(1);
    } finally {
      await db.drop();
    }
  });
});
