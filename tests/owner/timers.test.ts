/**
 * The hand-off timers, on the database clock: no owner answer within HANDOFF_WAIT_MINUTES ->
 * the shopper is told once that the shop will answer soon (and offered to leave an email); no
 * activity for HANDOFF_IDLE_HOURS -> back to the assistant with a line saying so. Checked when
 * a message arrives, when the inbox loads, and by the cron job.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCronJobs, cronJobs } from "../../lib/cron/jobs.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { setDbNow } from "../helpers/store.js";
import { call, handedOff, jsonOf, ownerWorld, shopperSays, signIn, type OwnerWorld } from "./harness.js";

let world: OwnerWorld;
let cookie: string;
beforeAll(async () => {
  world = await ownerWorld({ HANDOFF_WAIT_MINUTES: "10", HANDOFF_IDLE_HOURS: "24" });
  cookie = await signIn(world);
});
afterAll(() => world.close());
afterEach(() => setDbNow(world.services.store as PgliteStore, null));

const at = (iso: string) => setDbNow(world.services.store as PgliteStore, iso);
const systemLines = async (sessionId: string) =>
  (await jsonOf(await call(`/api/chat?sessionId=${sessionId}`))).messages.filter((m: { from: string }) => m.from === "system").map((m: { text: string }) => m.text);
const inbox = async () => {
  const res = await call("/api/admin/conversations?status=needs_human", { cookie });
  expect(res.status).toBe(200);
  return jsonOf(res);
};

describe("no owner answer within HANDOFF_WAIT_MINUTES", () => {
  it("tells the shopper once, when the inbox loads, offering to leave an email", async () => {
    await at("2026-12-05T10:00:00Z");
    const { sessionId } = await handedOff(world.services);
    await at("2026-12-05T10:09:30Z");
    await inbox();
    expect(await systemLines(sessionId)).toEqual([]);
    await at("2026-12-05T10:10:30Z");
    await inbox();
    await inbox();
    expect(await systemLines(sessionId)).toEqual([expect.stringMatching(/répondra ici très bientôt.*laissez-nous votre email/)]);
  });

  it("answers a shopper who writes again after the wait with the line, once", async () => {
    await at("2026-12-06T10:00:00Z");
    const { sessionId } = await handedOff(world.services);
    await shopperSays(sessionId, "mon email : ines@example.fr");
    await at("2026-12-06T10:12:00Z");
    const r = await shopperSays(sessionId, "il y a quelqu'un ?");
    expect(r.reply.text).toBe("La boutique a bien reçu votre demande et vous répondra ici très bientôt.");
    expect(r.handoff).toBe(true);
    expect((await shopperSays(sessionId, "allô ?")).reply.text).toBe("");
  });

  it("does not fire once the owner answered", async () => {
    await at("2026-12-07T10:00:00Z");
    const { sessionId, conversationId } = await handedOff(world.services);
    await at("2026-12-07T10:05:00Z");
    expect((await call(`/api/admin/conversations/${conversationId}/reply`, { cookie, body: { text: "Je suis là" } })).status).toBe(201);
    await at("2026-12-07T10:30:00Z");
    await inbox();
    expect(await systemLines(sessionId)).toEqual(["Marie, de la boutique, vous répond."]);
  });
});

describe("no activity for HANDOFF_IDLE_HOURS", () => {
  it("gives the conversation back from the cron job, with a line, once", async () => {
    await at("2026-12-08T10:00:00Z");
    const { sessionId, conversationId } = await handedOff(world.services);
    await call(`/api/admin/conversations/${conversationId}/reply`, { cookie, body: { text: "Je regarde et je reviens" } });
    const job = cronJobs.filter((j) => j.name === "handoff_timers");
    const status = async () => (await jsonOf(await call(`/api/admin/conversations/${conversationId}`, { cookie }))).conversation.status;
    await at("2026-12-09T09:59:00Z");
    expect((await runCronJobs(world.services, job)).jobs.handoff_timers).toMatchObject({ ok: true });
    expect(await status()).toBe("human");
    await at("2026-12-09T10:01:00Z");
    const report = await runCronJobs(world.services, job);
    expect(report.jobs.handoff_timers).toMatchObject({ ok: true, counts: { given_back: expect.any(Number) } });
    expect((report.jobs.handoff_timers as unknown as { counts: { given_back: number } }).counts.given_back).toBeGreaterThanOrEqual(1);
    const again = await runCronJobs(world.services, job);
    expect(again.jobs.handoff_timers).toMatchObject({ ok: true, counts: { given_back: 0 } });
    const view = await jsonOf(await call(`/api/admin/conversations/${conversationId}`, { cookie }));
    expect(view.conversation.status).toBe("bot");
    expect((await systemLines(sessionId)).at(-1)).toMatch(/^Je reprends la main/);
  });

  it("gives it back when the shopper writes after the idle time, and the assistant answers", async () => {
    await at("2026-12-10T10:00:00Z");
    const { sessionId } = await handedOff(world.services);
    await at("2026-12-11T11:00:00Z");
    const r = await shopperSays(sessionId, "bonjour, vous avez des bougies ?");
    expect(r.handoff).toBe(false);
    expect(r.reply.text).toMatch(/^Je reprends la main/);
    expect(r.reply.text.length).toBeGreaterThan(80);
  });

  it("is one entry of the cron job list", () => {
    expect(cronJobs.filter((j) => j.name === "handoff_timers")).toHaveLength(1);
  });
});
