/**
 * GET /api/cron/cleanup: CRON_SECRET in constant time, expired rows deleted, every registered
 * job run and counted, one failing job reported without stopping the others.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET, POST } from "../../api/cron/cleanup.js";
import { createCouponOffer } from "../../lib/coupons/index.js";
import { cronJobs, type CronJob } from "../../lib/cron/jobs.js";
import { notify } from "../../lib/notifications/index.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { cachePut, dedupClaim, rateLimitHit } from "../../lib/store/queries.js";
import { createTestServices, req } from "../helpers/services.js";
import { setDbNow } from "../helpers/store.js";

const SECRET = "cron-secret-0123456789abcdef";
const outbox = mkdtempSync(path.join(tmpdir(), "comptoir-cron-"));
const opened: Services[] = [];
async function services(env: Record<string, string> = { CRON_SECRET: SECRET }) {
  const s = await createTestServices({ OUTBOX_DIR: outbox, ...env });
  opened.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.store.close()));
});
afterAll(() => rmSync(outbox, { recursive: true, force: true }));
const run = (authorization?: string) => GET(req("/api/cron/cleanup", { headers: authorization ? { authorization } : {} }));
interface Report { ok: boolean; jobs: Record<string, { ok: boolean; counts?: Record<string, number>; error?: string }> }

describe("authorization", () => {
  it("answers 503 not_configured when CRON_SECRET is not set", async () => {
    await services({});
    const res = await run(`Bearer ${SECRET}`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_configured");
  });

  it.each([
    { name: "no header", header: undefined },
    { name: "a wrong secret", header: "Bearer cron-secret-0123456789abcdeX" },
    { name: "a prefix of the secret", header: "Bearer cron-secret" },
    { name: "the secret with a suffix", header: `Bearer ${SECRET}x` },
    { name: "Basic auth", header: `Basic ${Buffer.from(`x:${SECRET}`).toString("base64")}` },
    { name: "the bare secret", header: SECRET },
  ])("answers 401 for $name", async ({ header }) => {
    await services();
    expect((await run(header)).status).toBe(401);
  });

  it("is GET only", async () => {
    await services();
    const res = await POST(req("/api/cron/cleanup", { method: "POST", body: {}, headers: { authorization: `Bearer ${SECRET}` } }));
    expect(res.status).toBe(405);
  });

  it("is scheduled daily in vercel.json", () => {
    const vercel = JSON.parse(readFileSync("vercel.json", "utf8")) as { crons?: { path: string; schedule: string }[] };
    expect(vercel.crons).toContainEqual({ path: "/api/cron/cleanup", schedule: "0 3 * * *" });
  });
});

describe("the jobs", () => {
  it("deletes expired dedup keys, rate-limit windows, cache entries, notification claims and cool-downs", async () => {
    const s = await services();
    const store = s.store as PgliteStore;
    await setDbNow(store, "2026-11-25T10:00:00Z");
    await dedupClaim(store, "wamid.1", 60);
    await dedupClaim(store, "wamid.2", 86_400 * 7);
    await rateLimitHit(store, "lead:ip:1", 10, 60);
    await cachePut(store, "product:1", { id: 1 }, 60);
    await notify(s, { type: "t", dedupKey: "k1", subject: "s", message: "m", channels: ["email"] });
    await createCouponOffer(s, { conversationId: "c1", contactKey: "a@example.fr" });

    await setDbNow(store, "2026-12-26T10:00:00Z"); // 31 days later
    const res = await run(`Bearer ${SECRET}`);
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report;
    expect(report.ok).toBe(true);
    expect(Object.keys(report.jobs)).toEqual(["expired_rows", "lead_crm_sync", "notification_retry", "handoff_timers", "retention", "channel_jobs", "channel_retry", "order_followup_retry", "catalogue_sync", "wix_order_record"]);
    expect(report.jobs.catalogue_sync).toMatchObject({ ok: true, counts: { skipped: 1 } }); // the demo shop has nothing to mirror
    expect(report.jobs.expired_rows!.counts).toMatchObject({ dedup: 2, rate_limit: 1, cache: 1, notification_claims: 1, coupon_cooldowns: 2 });
    expect(report.jobs.lead_crm_sync!.counts).toMatchObject({ claimed: 0 });
    expect(report.jobs.notification_retry!.counts).toMatchObject({ retried: 0 });
    expect(report.jobs.order_followup_retry!.counts).toEqual({ claimed: 0, completed: 0, failed: 0 });
    expect(report.jobs.wix_order_record!.counts).toEqual({ claimed: 0, done: 0, failed: 0 }); // no Wix here

    const again = (await (await run(`Bearer ${SECRET}`)).json()) as Report;
    expect(again.jobs.expired_rows!.counts).toMatchObject({ dedup: 0, rate_limit: 0, cache: 0, notification_claims: 0, coupon_cooldowns: 0 });

    // Delivered notifications (personal data) are kept 90 days.
    expect(again.jobs.expired_rows!.counts).toMatchObject({ old_notifications: 0 });
    await setDbNow(store, "2027-02-24T10:00:00Z");
    const later = (await (await run(`Bearer ${SECRET}`)).json()) as Report;
    expect(later.jobs.expired_rows!.counts).toMatchObject({ old_notifications: 1 });
  });

  it("reports a failing job with 500 and still runs the jobs after it", async () => {
    await services();
    const ran: string[] = [];
    const failing: CronJob = {
      name: "always_fails",
      run: async () => {
        throw new Error("boom");
      },
    };
    const after: CronJob = {
      name: "runs_after",
      run: async () => {
        ran.push("after");
        return { done: 1 };
      },
    };
    cronJobs.push(failing, after);
    try {
      const res = await run(`Bearer ${SECRET}`);
      expect(res.status).toBe(500);
      const report = (await res.json()) as Report;
      expect(report.ok).toBe(false);
      expect(report.jobs.always_fails).toMatchObject({ ok: false, error: "Error: boom" });
      expect(report.jobs.runs_after).toMatchObject({ ok: true, counts: { done: 1 } });
      expect(report.jobs.expired_rows).toMatchObject({ ok: true });
      expect(ran).toEqual(["after"]);
    } finally {
      cronJobs.splice(cronJobs.indexOf(failing), 2);
    }
  });
});
