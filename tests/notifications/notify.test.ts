/**
 * Owner notifications: dedup persisted in Postgres (claimed before sending, released when the
 * send fails), every notification recorded, retries bounded, and the owner's WhatsApp alert
 * with the Graph API's real shapes. Email goes to a real SMTP server in the test process.
 */
import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { notifyNewQuote } from "../../lib/checkout/quote-notify.js";
import { notifyNewLead } from "../../lib/leads/notify.js";
import { notify } from "../../lib/notifications/index.js";
import { NOTIFY_MAX_ATTEMPTS, retryFailedNotifications } from "../../lib/notifications/retry.js";
import { notificationBegin, notificationList } from "../../lib/notifications/store.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import type { Store } from "../../lib/store/store.js";
import { startSmtpServer, type TestSmtpServer } from "../email/smtp-server.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { createPgDatabase, createTestStore, setDbNow, TEST_DATABASE_URL } from "../helpers/store.js";

const server = useMsw();
let smtp: TestSmtpServer;
const stores: Store[] = [];
async function services(env: Record<string, string>, store?: Store): Promise<Services> {
  const s = await createTestServices(env, store);
  if (!store) stores.push(s.store);
  return s;
}
const pglite = (s: Services) => s.store as PgliteStore;
const T0 = "2026-11-25T10:00:00.000Z";
const at = (iso: string, plusMinutes: number) => new Date(Date.parse(iso) + plusMinutes * 60_000).toISOString();
const statuses = async (s: Services, key: string) => (await notificationList(s.store, key)).map((r) => `${r.channel}:${r.status}`);
const input = (dedupKey: string) => ({ type: "test", dedupKey, subject: "Nouveau lead", message: "Bonjour", fields: { Email: "marie@example.fr" } });

beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterEach(async () => {
  smtp.received.length = 0;
  await Promise.all(stores.splice(0).map((s) => s.close()));
});
afterAll(() => smtp.close());

describe("dedup in Postgres", () => {
  it("20 concurrent identical notifications send one email and record 19 as deduped", async () => {
    const s = await services(smtp.env());
    const results = await Promise.all(Array.from({ length: 20 }, () => notify(s, { ...input("lead:marie@example.fr"), channels: ["email"] })));
    const flat = results.flat();
    expect(flat.filter((r) => r.status === "sent")).toHaveLength(1);
    expect(flat.filter((r) => r.status === "deduped")).toHaveLength(19);
    await smtp.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.received).toHaveLength(1);
    const rows = await notificationList(s.store, "lead:marie@example.fr");
    expect(rows).toHaveLength(20);
    expect(rows.filter((r) => r.status === "sent")).toHaveLength(1);
  });

  it("records a channel that is not configured as skipped_not_configured", async () => {
    const s = await services(smtp.env());
    const results = await notify(s, input("k:skip"));
    expect(results.map((r) => [r.channel, r.status])).toEqual([
      ["email", "sent"],
      ["whatsapp", "skipped_not_configured"],
    ]);
    expect(await statuses(s, "k:skip")).toEqual(["email:sent", "whatsapp:skipped_not_configured"]);
  });

  it("dedups for NOTIFY_DEDUP_TTL_SECONDS (6 h), then sends again", async () => {
    const s = await services(smtp.env());
    expect(s.config.notifications.dedupTtlSeconds).toBe(6 * 3600);
    await setDbNow(pglite(s), T0);
    expect((await notify(s, { ...input("k:ttl"), channels: ["email"] }))[0]!.status).toBe("sent");
    await setDbNow(pglite(s), at(T0, 6 * 60 - 1));
    expect((await notify(s, { ...input("k:ttl"), channels: ["email"] }))[0]!.status).toBe("deduped");
    await setDbNow(pglite(s), at(T0, 6 * 60 + 1));
    expect((await notify(s, { ...input("k:ttl"), channels: ["email"] }))[0]!.status).toBe("sent");
    expect(await smtp.waitFor(2)).toHaveLength(2);
  });

  it("a failed send releases its claim: a later notify with the same key sends", async () => {
    const store = await createTestStore();
    stores.push(store);
    const broken = await services(smtp.env({ SMTP_SECURE: "true" }), store);
    const [failed] = await notify(broken, { ...input("k:release"), channels: ["email"] });
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed!.error).toMatch(/smtp_failed/);
    expect(smtp.received).toHaveLength(0);

    const fixed = await services(smtp.env(), store);
    const [sent] = await notify(fixed, { ...input("k:release"), channels: ["email"] });
    expect(sent).toMatchObject({ status: "sent", transport: "smtp" });
    expect(await smtp.waitFor(1)).toHaveLength(1);
    expect(await statuses(fixed, "k:release")).toEqual(["email:failed", "email:sent"]);
  });
});

describe("retry job", () => {
  it("sends a failed notification later, once", async () => {
    const store = await createTestStore();
    stores.push(store);
    const broken = await services(smtp.env({ SMTP_SECURE: "true" }), store);
    await setDbNow(store, T0);
    await notify(broken, { ...input("k:retry"), channels: ["email"] });

    const fixed = await services(smtp.env(), store);
    // Not due yet: backoff after the first failure.
    expect(await retryFailedNotifications(fixed)).toMatchObject({ retried: 0 });
    await setDbNow(store, at(T0, 30));
    expect(await retryFailedNotifications(fixed)).toEqual({ retried: 1, sent: 1, failed: 0, superseded: 0, exhausted: 0 });
    await setDbNow(store, at(T0, 60 * 24));
    expect(await retryFailedNotifications(fixed)).toMatchObject({ retried: 0 });
    expect(await smtp.waitFor(1)).toHaveLength(1);
    const [row] = await notificationList(fixed.store, "k:retry");
    expect(row).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("does not resend a failed notification that a later one already delivered", async () => {
    const store = await createTestStore();
    stores.push(store);
    const broken = await services(smtp.env({ SMTP_SECURE: "true" }), store);
    await setDbNow(store, T0);
    await notify(broken, { ...input("k:superseded"), channels: ["email"] });
    const fixed = await services(smtp.env(), store);
    await setDbNow(store, at(T0, 1));
    await notify(fixed, { ...input("k:superseded"), channels: ["email"] });
    await setDbNow(store, at(T0, 60));
    expect(await retryFailedNotifications(fixed)).toMatchObject({ retried: 0, superseded: 1 });
    await smtp.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.received).toHaveLength(1);
    expect(await statuses(fixed, "k:superseded")).toEqual(["email:deduped", "email:sent"]);
  });

  it("gives up after NOTIFY_MAX_ATTEMPTS attempts in all", async () => {
    const broken = await services(smtp.env({ SMTP_SECURE: "true", SMTP_CB_FAILURE_THRESHOLD: "100" }));
    await setDbNow(pglite(broken), T0);
    await notify(broken, { ...input("k:bounded"), channels: ["email"] });
    let retried = 0;
    for (let day = 1; day <= NOTIFY_MAX_ATTEMPTS + 3; day++) {
      await setDbNow(pglite(broken), at(T0, day * 24 * 60));
      retried += (await retryFailedNotifications(broken)).retried;
    }
    expect(retried).toBe(NOTIFY_MAX_ATTEMPTS - 1);
    const [row] = await notificationList(broken.store, "k:bounded");
    expect(row).toMatchObject({ status: "failed", attempts: NOTIFY_MAX_ATTEMPTS });
    expect(smtp.received).toHaveLength(0);
  });

  it("takes over a send whose sender died (lease expired) and delivers it", async () => {
    const s = await services(smtp.env());
    await setDbNow(pglite(s), T0);
    const content = { type: "test", dedupKey: "k:dead", subject: "S", message: "M", fields: [["A", "1"]] as [string, string][] };
    const [begun] = await notificationBegin(s.store, content, [{ channel: "email", recipient: "owner@example.com", configured: true }], 6 * 3600, 120);
    expect(begun!.status).toBe("sending");
    // Still leased: nobody else may send it, not even a new notify.
    expect(await retryFailedNotifications(s)).toMatchObject({ retried: 0 });
    expect((await notify(s, { ...input("k:dead"), channels: ["email"] }))[0]!.status).toBe("deduped");
    await setDbNow(pglite(s), at(T0, 3));
    expect(await retryFailedNotifications(s)).toMatchObject({ retried: 1, sent: 1 });
    const [got] = await smtp.waitFor(1);
    expect(got!.mail.text).toContain("A: 1");
  });
});

describe("lead and quote notifications", () => {
  it("notifyNewLead mails the owner once per email, with Reply-To the lead", async () => {
    const s = await services(smtp.env());
    const lead = { id: "11111111-1111-4111-8111-111111111111", email: "Marie@Example.fr", name: "Marie Durand", phone: "+33612345678", message: "Avez-vous la taille M ?", source: "web" };
    expect((await notifyNewLead(s, lead))[0]!.status).toBe("sent");
    expect((await notifyNewLead(s, { ...lead, email: "marie@example.fr" }))[0]!.status).toBe("deduped");
    const [got] = await smtp.waitFor(1);
    expect(got!.mail.subject).toBe("[Comptoir] Nouveau lead : Marie Durand");
    expect(got!.mail.replyTo?.text.toLowerCase()).toBe("marie@example.fr");
    expect(got!.mail.text).toContain("Téléphone: +33612345678");
    expect(got!.mail.text).toContain("Message: Avez-vous la taille M ?");
  });

  it("notifyNewQuote lists the items and total", async () => {
    const s = await services(smtp.env({ DEFAULT_LANGUAGE: "en" }));
    const quote = { id: "Q-1042", customerName: "Marie", items: [{ name: "Bougie figue", quantity: 2, price: "19.90" }], total: "39.80", currency: "EUR", url: "http://shop.test/pay/Q-1042" };
    expect((await notifyNewQuote(s, quote))[0]!.status).toBe("sent");
    expect((await notifyNewQuote(s, quote))[0]!.status).toBe("deduped");
    const [got] = await smtp.waitFor(1);
    expect(got!.mail.subject).toBe("[Comptoir] New quote: Q-1042 (39.80 EUR)");
    expect(got!.mail.text).toContain("2 × Bougie figue (19.90 EUR)");
    expect(got!.mail.text).toContain("Link: http://shop.test/pay/Q-1042");
  });
});

describe("owner WhatsApp alert", () => {
  const WA_ENV = {
    WHATSAPP_ACCESS_TOKEN: "EAAtesttoken123456789",
    WHATSAPP_PHONE_NUMBER_ID: "106540352242922",
    WHATSAPP_VERIFY_TOKEN: "verify-me",
    META_APP_SECRET: "app-secret",
    ADMIN_PHONE: "+33 6 12 34 56 78",
    HTTP_RETRY_BASE_DELAY_MS: "1",
  };
  const URL_ = "https://graph.facebook.com/v26.0/106540352242922/messages";

  it("sends a text message to ADMIN_PHONE through the Graph API", async () => {
    const seen: { body: unknown; auth: string | null }[] = [];
    server.use(
      http.post(URL_, async ({ request }) => {
        seen.push({ body: await request.json(), auth: request.headers.get("authorization") });
        return HttpResponse.json({ messaging_product: "whatsapp", contacts: [{ input: "33612345678", wa_id: "33612345678" }], messages: [{ id: "wamid.HBgL" }] });
      }),
    );
    const s = await services(WA_ENV);
    const results = await notify(s, { ...input("k:wa"), channels: ["whatsapp"] });
    expect(results).toMatchObject([{ channel: "whatsapp", status: "sent", transport: "whatsapp" }]);
    expect(await notify(s, { ...input("k:wa"), channels: ["whatsapp"] })).toMatchObject([{ status: "deduped" }]);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.auth).toBe("Bearer EAAtesttoken123456789");
    expect(seen[0]!.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "33612345678",
      type: "text",
      text: { body: "[Comptoir] Nouveau lead\n\nBonjour\n\nEmail: marie@example.fr", preview_url: false },
    });
  });

  it("is skipped_not_configured without ADMIN_PHONE, and nothing is sent", async () => {
    let calls = 0;
    server.use(
      http.post(URL_, () => {
        calls++;
        return HttpResponse.json({});
      }),
    );
    const { ADMIN_PHONE: _, ...env } = WA_ENV;
    const s = await services(env);
    expect(await notify(s, { ...input("k:wa-off"), channels: ["whatsapp"] })).toMatchObject([{ status: "skipped_not_configured" }]);
    expect(calls).toBe(0);
  });

  it("records Meta's 24-hour-window refusal as failed and not retryable", async () => {
    server.use(
      http.post(URL_, () =>
        HttpResponse.json(
          { error: { message: "Re-engagement message", type: "OAuthException", code: 131047, fbtrace_id: "A1" } },
          { status: 400 },
        ),
      ),
    );
    const s = await services(WA_ENV);
    const [r] = await notify(s, { ...input("k:wa-131047"), channels: ["whatsapp"] });
    expect(r).toMatchObject({ status: "failed" });
    expect(r!.error).toContain("131047");
    expect((await notificationList(s.store, "k:wa-131047"))[0]).toMatchObject({ status: "failed", retryable: false });
  });

  it("does not repeat a failed POST inline (no idempotency key at Meta): one request, retried later by the job", async () => {
    let calls = 0;
    server.use(
      http.post(URL_, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json({ error: { message: "Service unavailable", code: 2 } }, { status: 503 })
          : HttpResponse.json({ messaging_product: "whatsapp", messages: [{ id: "wamid.2" }] });
      }),
    );
    const s = await services(WA_ENV);
    await setDbNow(pglite(s), T0);
    expect(await notify(s, { ...input("k:wa-503"), channels: ["whatsapp"] })).toMatchObject([{ status: "failed" }]);
    expect(calls).toBe(1);
    await setDbNow(pglite(s), at(T0, 30));
    expect(await retryFailedNotifications(s)).toMatchObject({ retried: 1, sent: 1 });
    expect(calls).toBe(2);
  });
});

describe.runIf(TEST_DATABASE_URL)("dedup on a real PostgreSQL server", () => {
  it("20 concurrent identical notifications over many connections send one email", async () => {
    const db = await createPgDatabase();
    try {
      const s = await createTestServices(smtp.env(), db.store);
      const results = await Promise.all(Array.from({ length: 20 }, () => notify(s, { ...input("pg:dedup"), channels: ["email"] })));
      expect(results.flat().filter((r) => r.status === "sent")).toHaveLength(1);
      await smtp.waitFor(1);
      await new Promise((r) => setTimeout(r, 200));
      expect(smtp.received).toHaveLength(1);
    } finally {
      await db.drop();
    }
  });
});
