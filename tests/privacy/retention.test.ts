/**
 * The retention job, through GET /api/cron/cleanup with a pinned database clock: rows just
 * inside each limit stay, rows just outside go; a purged conversation's Drive transcript is
 * deleted from Drive too; orders keep only the accounting record; one log line with the counts
 * per table and no personal data; a second run deletes nothing more.
 */
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GET } from "../../api/cron/cleanup.js";
import { loadConfig } from "../../lib/config.js";
import { createLogger } from "../../lib/log.js";
import { createServices, setServices, type Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { DRIVE_BASE, googleFake, serviceAccount } from "../drive/fake-google.js";
import { useMsw } from "../helpers/msw.js";
import { BASE_ENV, createTestServices, req } from "../helpers/services.js";
import { TEST_DATABASE_URL, createPgDatabase, createTestStore, setDbNow } from "../helpers/store.js";
import { rawQuery, seedConversation, seedLead, seedPaidOrder, seedTranscriptArchive } from "./seed.js";

const server = useMsw();
const SECRET = "cron-secret-0123456789abcdef";
const NOW = new Date("2027-12-01T03:00:00Z");
const DAY = 86_400_000;
const at = (ms: number) => new Date(NOW.getTime() + ms);

let store: PgliteStore;
let services: Services;
let lines: string[];
let deleted: string[];

beforeEach(async () => {
  store = await createTestStore();
  lines = [];
  deleted = [];
  const fake = googleFake();
  server.use(
    fake.token,
    http.delete(`${DRIVE_BASE}/drive/v3/files/:id`, ({ params, request }) => {
      deleted.push(`${params.id} allDrives=${new URL(request.url).searchParams.get("supportsAllDrives")}`);
      return new HttpResponse(null, { status: 204 });
    }),
  );
  const config = loadConfig({
    ...BASE_ENV,
    CRON_SECRET: SECRET,
    GOOGLE_API_BASE_URL: DRIVE_BASE,
    GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON: serviceAccount("archiver@comptoir-test.iam.gserviceaccount.com"),
  });
  services = { ...(await createServices(config, store)), log: createLogger("info", {}, (line) => void lines.push(line)) };
  setServices(services);
});

afterEach(() => store.close());

const cron = () => GET(req("/api/cron/cleanup", { headers: { authorization: `Bearer ${SECRET}` } }));
const count = async (sql: string, params: unknown[] = []) => Number((await store.db.query<{ n: number }>(sql, params)).rows[0]!.n);

describe("retention", () => {
  it("deletes conversations, leads and Drive transcripts just past their limits, keeps those just inside, trims old orders, and is idempotent", async () => {
    // A conversation whose last message is exactly 365 days old stays; one second older goes.
    await setDbNow(store, at(-365 * DAY));
    const kept = await seedConversation(store, { channel: "web", userKey: "sess-kept-0001", text: "Avez-vous la bougie figue ?" });
    await setDbNow(store, at(-365 * DAY - 1000));
    const gone = await seedConversation(store, { channel: "whatsapp", userKey: "33611111111", text: "Je suis Marie, 12 rue des Lilas" });
    await seedTranscriptArchive(store, gone, "file-gone");
    await seedTranscriptArchive(store, kept, "file-kept");
    // An old conversation with a recent message is recent.
    await setDbNow(store, at(-400 * DAY));
    const revived = await seedConversation(store, { channel: "messenger", userKey: "psid-revived", text: "Bonjour" });
    await setDbNow(store, at(-10 * DAY));
    await seedConversation(store, { channel: "messenger", userKey: "psid-revived", text: "Toujours là ?" });

    // Leads: 1095 days after the last contact.
    await setDbNow(store, at(-1095 * DAY));
    await seedLead(store, { email: "garde@example.fr", name: "Garde", consent: true });
    await setDbNow(store, at(-1095 * DAY - 1000));
    await seedLead(store, { email: "expire@example.fr", name: "Expire", phone: "+33622222222", consent: false });

    // An order from the purged conversation, older than the chat limit.
    await setDbNow(store, at(-366 * DAY));
    const order = await seedPaidOrder(store, { email: "acheteuse@example.fr", conversationId: gone, channel: "whatsapp" });

    await setDbNow(store, NOW);
    const res = await cron();
    const report = (await res.json()) as { ok: boolean; jobs: Record<string, { ok: boolean; counts: Record<string, number> }> };
    expect(res.status, JSON.stringify(report)).toBe(200);
    expect(report.jobs.retention).toEqual({
      ok: true,
      durationMs: expect.any(Number),
      counts: {
        chat_conversation: 1,
        chat_message: 2,
        app_coupon_offer: 0,
        app_lead: 1,
        app_lead_submission: 1,
        app_lead_consent: 1,
        shop_demo_contacts: 0,
        app_checkout_order: 1,
        app_quote: 0,
        drive_archive: 1,
        drive_files_deleted: 1,
        drive_files_failed: 0,
        // checkout's own cleanup: the order's Stripe event claim (Stripe retries for 3 days)
        stripe_events: 1,
        abandoned_orders: 0,
      },
    });

    expect(await count("select count(*) n from chat_conversation where id = $1", [gone])).toBe(0);
    expect(await count("select count(*) n from chat_message where conversation_id = $1", [gone])).toBe(0);
    expect(await count("select count(*) n from chat_conversation where id = any($1)", [[kept, revived]])).toBe(2);
    expect(await count("select count(*) n from app_lead where email_key = 'garde@example.fr'")).toBe(1);
    expect(await count("select count(*) n from app_lead where email_key = 'expire@example.fr'")).toBe(0);
    expect(await count("select count(*) n from app_lead_submission s where not exists (select 1 from app_lead l where l.id = s.lead_id)")).toBe(0);

    // Drive: the purged conversation's file deleted (Shared Drives too), its ledger row gone.
    expect(deleted).toEqual(["file-gone allDrives=true"]);
    expect((await store.db.query("select ref_id, status from drive_archive order by ref_id")).rows).toEqual([{ ref_id: `${kept}-1`, status: "done" }]);

    // The order keeps the accounting record only.
    const o = (await store.db.query<Record<string, unknown>>("select * from app_checkout_order where id = $1", [order])).rows[0]!;
    expect(o).toMatchObject({ status: "paid", amount_total: 4500, currency: "eur", email: "acheteuse@example.fr", conversation_id: null, url: null });
    expect(o.items).toEqual([{ productId: "prod-bougie", name: "Bougie figue", unitAmount: 4500, quantity: 1 }]);

    // One log line, counts only.
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "retention");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ chat_conversation: 1, app_lead: 1, drive_files_deleted: 1, chatRetentionDays: 365, leadRetentionDays: 1095 });
    expect(lines.join("\n")).not.toMatch(/example\.fr|Marie|33611111111/);

    // Idempotent: nothing more to do.
    deleted = [];
    const again = (await (await cron()).json()) as typeof report;
    expect(Object.values(again.jobs.retention!.counts).every((n) => n === 0), JSON.stringify(again.jobs.retention)).toBe(true);
    expect(deleted).toEqual([]);
  });

  it("follows CHAT_RETENTION_DAYS and LEAD_RETENTION_DAYS", async () => {
    const config = loadConfig({ ...BASE_ENV, CRON_SECRET: SECRET, CHAT_RETENTION_DAYS: "30", LEAD_RETENTION_DAYS: "60" });
    setServices({ ...(await createServices(config, store)), log: createLogger("silent") });
    await setDbNow(store, at(-31 * DAY));
    const old = await seedConversation(store, { channel: "web", userKey: "sess-thirty-one", text: "Bonjour" });
    await setDbNow(store, at(-29 * DAY));
    const recent = await seedConversation(store, { channel: "web", userKey: "sess-twenty-nine", text: "Bonjour" });
    await setDbNow(store, at(-61 * DAY));
    await seedLead(store, { email: "soixante@example.fr" });
    await setDbNow(store, NOW);
    expect((await cron()).status).toBe(200);
    expect(await count("select count(*) n from chat_conversation where id = $1", [old])).toBe(0);
    expect(await count("select count(*) n from chat_conversation where id = $1", [recent])).toBe(1);
    expect(await count("select count(*) n from app_lead where email_key = 'soixante@example.fr'")).toBe(0);
  });

  it("keeps a purged transcript's ledger row for the next run when Drive fails, without stopping the job", async () => {
    server.use(http.delete(`${DRIVE_BASE}/drive/v3/files/:id`, () => HttpResponse.json({ error: { code: 500, message: "backend" } }, { status: 500 })));
    await setDbNow(store, at(-400 * DAY));
    const gone = await seedConversation(store, { channel: "web", userKey: "sess-drive-down", text: "Bonjour" });
    await seedTranscriptArchive(store, gone, "file-drive-down");
    await setDbNow(store, NOW);
    const report = (await (await cron()).json()) as { jobs: Record<string, { ok: boolean; counts: Record<string, number> }> };
    expect(report.jobs.retention).toMatchObject({ ok: true, counts: { chat_conversation: 1, drive_files_deleted: 0, drive_files_failed: 1 } });
    expect((await store.db.query("select status, last_error is not null as failed from drive_archive where ref_id = $1", [`${gone}-1`])).rows).toEqual([
      { status: "purge", failed: true },
    ]);
  });
});

describe.runIf(TEST_DATABASE_URL)("retention on a real PostgreSQL server", () => {
  it("deletes the rows a minute past each limit, keeps those a minute inside, and is idempotent", async () => {
    const db = await createPgDatabase();
    try {
      const q = rawQuery(db.store);
      const s = await createTestServices({ CRON_SECRET: SECRET }, db.store);
      const inside = await seedConversation(db.store, { channel: "web", userKey: "sess-pg-inside-0001", text: "Bonjour" });
      const outside = await seedConversation(db.store, { channel: "whatsapp", userKey: "33633333333", text: "Je suis au 3 rue des Pins" });
      const keptLead = await seedLead(db.store, { email: "garde.pg@example.fr", consent: true });
      const goneLead = await seedLead(db.store, { email: "expire.pg@example.fr" });
      const order = await seedPaidOrder(db.store, { email: "acheteur.pg@example.fr", conversationId: outside });
      // Move the rows back in time (the server's clock cannot be pinned across pooled connections).
      const age = async (table: string, cols: string[], where: string, params: unknown[], interval: string) =>
        q(`update ${table} set ${cols.map((c) => `${c} = now() - interval '${interval}'`).join(", ")} where ${where}`, params);
      await age("chat_conversation", ["updated_at", "created_at"], "id = $1", [inside], "365 days - 1 minute");
      await age("chat_message", ["created_at"], "conversation_id = $1", [inside], "365 days - 1 minute");
      await age("chat_conversation", ["updated_at", "created_at"], "id = $1", [outside], "365 days 1 minute");
      await age("chat_message", ["created_at"], "conversation_id = $1", [outside], "365 days 1 minute");
      await age("app_lead", ["updated_at", "created_at"], "id = $1", [keptLead], "1095 days - 1 minute");
      await age("app_lead", ["updated_at", "created_at"], "id = $1", [goneLead], "1095 days 1 minute");
      await age("app_checkout_order", ["created_at"], "id = $1", [order], "366 days");

      const { runRetention } = await import("../../lib/privacy/retention.js");
      expect(await runRetention(s)).toMatchObject({ chat_conversation: 1, chat_message: 2, app_lead: 1, app_lead_submission: 1, app_checkout_order: 1 });
      expect(await q("select id::text from chat_conversation order by created_at")).toEqual([{ id: inside }]);
      expect(await q("select email_key from app_lead")).toEqual([{ email_key: "garde.pg@example.fr" }]);
      expect(await q("select email, conversation_id, url from app_checkout_order where id = $1", [order])).toEqual([
        { email: "acheteur.pg@example.fr", conversation_id: null, url: null },
      ]);
      const again = await runRetention(s);
      expect(Object.values(again).every((n) => n === 0), JSON.stringify(again)).toBe(true);
    } finally {
      await db.drop();
    }
  });
});
