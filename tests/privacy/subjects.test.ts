/**
 * POST /api/admin/subjects/export and /erase: the owner's session, exactly one identifier, the
 * export of a person seen on three channels, the erasure's completeness read from the schema
 * (0 rows hold her identifiers afterwards), her look-alike untouched, orders anonymised, the Wix
 * contact and the Drive transcript deleted outside, and what the report says when they cannot be.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST as erasePOST, GET as eraseGET } from "../../api/admin/subjects/erase.js";
import { POST as exportPOST } from "../../api/admin/subjects/export.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { DRIVE_BASE, googleFake, serviceAccount } from "../drive/fake-google.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices, req } from "../helpers/services.js";
import { ORIGIN, signIn, type OwnerWorld } from "../owner/harness.js";
import { TEST_DATABASE_URL, createPgDatabase } from "../helpers/store.js";
import { erasureIsCompleteAndSpareTheTwin } from "./erasure-scenario.js";
import { MARIE, TWIN, seedPerson } from "./seed.js";

const server = useMsw();
const OWNER_EMAIL = "owner@maison-lumiere.example";
let cookie: string;
const WIX = "http://wix.test";
const DRIVE_ENV = { GOOGLE_API_BASE_URL: DRIVE_BASE, GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON: serviceAccount("archiver@comptoir-test.iam.gserviceaccount.com") };
const WIX_ENV = { WIX_API_KEY: "wix-key", WIX_SITE_ID: "site-1", WIX_API_BASE_URL: WIX, WIX_RETRY_ATTEMPTS: "0" };

let services: Services;
let driveDeleted: string[];
let wixCalls: string[];
const opened: { close(): Promise<void> }[] = [];

beforeEach(() => {
  driveDeleted = [];
  wixCalls = [];
  server.use(
    googleFake().token,
    http.delete(`${DRIVE_BASE}/drive/v3/files/:id`, ({ params }) => {
      driveDeleted.push(String(params.id));
      return new HttpResponse(null, { status: 204 });
    }),
    http.post(`${WIX}/contacts/v4/contacts/query`, async ({ request }) => {
      const body = (await request.json()) as { query: { filter: Record<string, { $eq: string }> } };
      const email = body.query.filter["primaryInfo.email"]!.$eq;
      wixCalls.push(`query ${email} site=${request.headers.get("wix-site-id")}`);
      const contacts = email === MARIE.email ? [{ id: "wix-marie", revision: 3, primaryInfo: { email } }] : [];
      return HttpResponse.json({ contacts, pagingMetadata: { count: contacts.length, offset: 0, total: contacts.length, tooManyToCount: false } });
    }),
    http.delete(`${WIX}/contacts/v4/contacts/:id`, ({ params, request }) => {
      wixCalls.push(`delete ${params.id} auth=${request.headers.get("authorization")}`);
      return params.id === "wix-gone" ? HttpResponse.json({ message: "not found" }, { status: 404 }) : HttpResponse.json({});
    }),
  );
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function start(env: Record<string, string> = {}, store?: Services["store"]) {
  const outbox = mkdtempSync(path.join(tmpdir(), "comptoir-privacy-outbox-"));
  services = await createTestServices({ OUTBOX_DIR: outbox, OWNER_EMAILS: OWNER_EMAIL, ...env }, store);
  if (!store) opened.push(services.store);
  opened.push({ close: async () => rmSync(outbox, { recursive: true, force: true }) });
  cookie = await signIn({ services, outbox } as OwnerWorld, OWNER_EMAIL);
  return services;
}
/** Calls a subjects route as the inbox page does: the owner's session cookie, same Origin. */
const call = (handler: typeof exportPOST, path: string, body: unknown, asCookie: string | null = cookie) =>
  handler(req(path, { method: "POST", body, headers: { origin: ORIGIN, ...(asCookie ? { cookie: asCookie } : {}) } }));
const exportOf = (body: unknown) => call(exportPOST, "/api/admin/subjects/export", body);
const erase = (body: unknown) => call(erasePOST, "/api/admin/subjects/erase", body);

describe("who may call, and with what", () => {
  it.each([
    { name: "no session", key: null, status: 401 },
    { name: "an unknown session", key: "comptoir_owner=" + "A".repeat(43), status: 401 },
  ])("answers $status with $name, and erases nothing", async ({ key, status }) => {
    await start();
    await seedPerson(services.store, MARIE);
    const res = await call(erasePOST, "/api/admin/subjects/erase", { email: MARIE.email }, key);
    expect(res.status).toBe(status);
    const q = (services.store as PgliteStore).db;
    expect((await q.query("select count(*)::int n from chat_conversation")).rows).toEqual([{ n: 3 }]);
  });

  it.each([
    { name: "no identifier", body: {} },
    { name: "two identifiers", body: { email: MARIE.email, psid: MARIE.psid } },
    { name: "an invalid email", body: { email: "marie.durand" } },
    { name: "an invalid phone", body: { phone: "call me" } },
    { name: "an unknown field", body: { email: MARIE.email, name: "Marie" } },
    { name: "an empty session id", body: { sessionId: "  " } },
  ])("answers 400 for $name", async ({ body }) => {
    await start();
    const res = await erase(body);
    expect(res.status, await res.clone().text()).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
  });

  it("is POST only", async () => {
    await start();
    expect((await eraseGET(req("/api/admin/subjects/erase", { headers: { cookie } }))).status).toBe(405);
  });
});

describe("export", () => {
  it("hands over a person seen on the web, WhatsApp and Messenger, from her email alone, and nothing of her look-alike", async () => {
    await start();
    const marie = await seedPerson(services.store, MARIE);
    await seedPerson(services.store, TWIN);
    const res = await exportOf({ email: "Marie.Durand@example.fr" });
    expect(res.status).toBe(200);
    const { subject, data } = (await res.json()) as { subject: unknown; data: Record<string, any> };
    expect(subject).toEqual({ email: MARIE.email });
    expect(data.conversations.map((c: { channel: string; id: string }) => [c.channel, c.id]).sort()).toEqual(
      [["messenger", marie.messenger], ["web", marie.web], ["whatsapp", marie.whatsapp]].sort(),
    );
    const whatsapp = data.conversations.find((c: { channel: string }) => c.channel === "whatsapp");
    expect(whatsapp.messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ["user", `Je suis au ${MARIE.phrase}`],
      ["assistant", "Bien noté."],
    ]);
    expect(data.leads).toHaveLength(1);
    expect(data.leads[0].lead).toMatchObject({ email: MARIE.email, phone: MARIE.phone, consent: true });
    expect(data.consents).toEqual([
      expect.objectContaining({ consent: true, wording: "J'accepte de recevoir les offres de la boutique par e-mail.", channel: "web", language: "fr" }),
    ]);
    expect(data.coupon_offers).toHaveLength(2);
    expect(data.orders.map((o: { id: string; email: string }) => [o.id, o.email])).toEqual([[marie.orderId, MARIE.email]]);
    expect(data.quotes.map((x: { id: string }) => x.id)).toEqual([MARIE.quoteId]);
    expect(data.notifications.map((n: { type: string }) => n.type).sort()).toEqual(["handoff", "lead", "order-confirmation"]);
    expect(data.channel_users.map((u: { channel: string; user_id: string }) => `${u.channel}:${u.user_id}`).sort()).toEqual([
      `messenger:${MARIE.psid}`,
      `whatsapp:${MARIE.waId}`,
    ]);
    expect(data.channel_messages_sent).toHaveLength(1);
    expect(data.shop_contacts.map((c: { email: string }) => c.email)).toEqual([MARIE.email]);
    expect(data.identifiers.emails).toEqual([MARIE.email]);
    expect(JSON.stringify(data)).not.toContain(TWIN.email);
    expect(JSON.stringify(data)).not.toContain(TWIN.phrase);
  });

  it.each([
    { by: "phone", body: { phone: "06 12 34 56 78" } },
    { by: "WhatsApp id", body: { psid: MARIE.waId } },
    { by: "Messenger PSID", body: { psid: MARIE.psid } },
    { by: "web session", body: { sessionId: MARIE.session } },
  ])("finds the same person by her $by", async ({ body }) => {
    await start();
    const marie = await seedPerson(services.store, MARIE);
    await seedPerson(services.store, TWIN);
    const { data } = (await (await exportOf(body)).json()) as { data: Record<string, any> };
    expect(data.conversations.map((c: { id: string }) => c.id).sort()).toEqual([marie.web, marie.whatsapp, marie.messenger].sort());
    expect(data.leads.map((l: { lead: { id: string } }) => l.lead.id)).toEqual([marie.leadId]);
  });

  it("answers empty lists for someone unknown", async () => {
    await start();
    const { data } = (await (await exportOf({ email: "personne@example.fr" })).json()) as { data: Record<string, unknown[]> };
    expect(data.conversations).toEqual([]);
    expect(data.leads).toEqual([]);
    expect(data.orders).toEqual([]);
  });
});

describe("erase", () => {
  it("leaves none of her identifiers in any personal column of the schema, and her look-alike's data as it was (PGlite)", async () => {
    await start(DRIVE_ENV);
    await erasureIsCompleteAndSpareTheTwin(services.store, async () => {
      const res = await erase({ email: MARIE.email });
      expect(res.status, await res.clone().text()).toBe(200);
    });
    expect(driveDeleted).toEqual([`file-${MARIE.psid}`]);
  });

  it.runIf(TEST_DATABASE_URL)("leaves none of her identifiers and spares her look-alike on a real PostgreSQL server", async () => {
    const db = await createPgDatabase();
    try {
      await start(DRIVE_ENV, db.store);
      await erasureIsCompleteAndSpareTheTwin(db.store, async () => {
        const res = await erase({ psid: MARIE.psid });
        expect(res.status, await res.clone().text()).toBe(200);
      });
    } finally {
      await db.drop();
    }
  });

  it("reports rows per table, deletes the Wix contact and the Drive transcript, and finds nothing more the second time", async () => {
    await start({ ...DRIVE_ENV, ...WIX_ENV });
    await seedPerson(services.store, MARIE);
    const res = await erase({ phone: "+33 6 12 34 56 78" });
    const report = (await res.json()) as Record<string, any>;
    expect(res.status, JSON.stringify(report)).toBe(200);
    expect(report.deleted).toMatchObject({
      chat_conversation: 3,
      chat_message: 6,
      app_lead: 1,
      app_lead_submission: 1,
      app_lead_consent: 1,
      app_coupon_offer: 2,
      app_notification: 3,
      channel_user: 2,
      channel_inbound: 2,
      channel_outbound: 1,
      channel_status: 1,
      shop_demo_contacts: 1,
    });
    expect(report.anonymised).toEqual({ app_checkout_order: 1, app_quote: 1 });
    expect(report.drive).toEqual({ marked: 1, filesDeleted: 1, filesPending: 0 });
    // The lead's stored Wix contact id, and the contact Wix finds by her email.
    expect(report.crm.status).toBe("deleted");
    expect(wixCalls).toContain(`query ${MARIE.email} site=site-1`);
    expect(wixCalls).toContain("delete wix-marie auth=wix-key");
    expect(wixCalls.filter((c) => c.startsWith("delete"))).toHaveLength(2);

    wixCalls = [];
    const again = (await (await erase({ phone: MARIE.phone })).json()) as Record<string, any>;
    expect(Object.values(again.deleted).every((n) => n === 0), JSON.stringify(again.deleted)).toBe(true);
    expect(again.crm).toEqual({ status: "deleted", contacts: [] });
    expect(wixCalls).toEqual([]);
  });

  it("says so in the report when Wix is down, and still erases everything held here", async () => {
    await start(WIX_ENV);
    server.use(http.post(`${WIX}/contacts/v4/contacts/query`, () => HttpResponse.json({ message: "unavailable" }, { status: 503 })));
    await seedPerson(services.store, MARIE);
    const report = (await (await erase({ email: MARIE.email })).json()) as Record<string, any>;
    expect(report.deleted.chat_conversation).toBe(3);
    expect(report.crm).toMatchObject({ status: "failed", note: expect.stringContaining("Wix is unavailable") });
    expect(report.drive).toMatchObject({ marked: 1, filesDeleted: 0, filesPending: 1, note: expect.stringContaining("not configured") });
  });

  it("says the demo shop's contacts were erased in the database when Wix is not configured", async () => {
    await start();
    await seedPerson(services.store, MARIE);
    const report = (await (await erase({ sessionId: MARIE.session })).json()) as Record<string, any>;
    expect(report.crm).toMatchObject({ status: "demo_shop" });
    expect(report.deleted.shop_demo_contacts).toBe(1);
  });
});
