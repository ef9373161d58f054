/**
 * The webhook's answers through the job queue: the acknowledgement claims and queues in one round
 * trip and sends nothing; a signed internal call starts the worker route, which answers each
 * queued message once; a lost or refused call is made up for (the acknowledging invocation, the
 * cron job); workers racing each other or the retry job never answer a message twice.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as workerPOST } from "../../api/channel-worker.js";
import { GET as cronGET } from "../../api/cron/cleanup.js";
import { POST } from "../../api/whatsapp-webhook.js";
import { INTERNAL_SIGNATURE_HEADER, INTERNAL_TIMESTAMP_HEADER, signInternal } from "../../lib/auth.js";
import { requestDrain } from "../../lib/channels/jobs.js";
import { dispatchQueued } from "../../lib/channels/dispatch.js";
/** requestDrain as the worker route calls it: what is left when out of time goes to a new worker call. */
const drainAsWorker = (s: Parameters<typeof requestDrain>[0], o: Parameters<typeof requestDrain>[1] = {}) => requestDrain(s, { handOff: dispatchQueued, ...o });
import { retryChannelWork } from "../../lib/channels/retry.js";
import { inboundGet } from "../../lib/channels/store.js";
import { loadConfig } from "../../lib/config.js";
import { createServices, setServices, type Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { BASE_ENV, createTestServices, req } from "../helpers/services.js";
import { TEST_DATABASE_URL, createPgDatabase, createTestStore, setDbNow } from "../helpers/store.js";
import { useGraph } from "./graph-double.js";
import { META_ENV, signedPost, waMessages, waPayload, waText, wamid } from "./meta-fixtures.js";

const server = useMsw();
const graph = useGraph(server);
const WORKER_SECRET = "worker-secret-for-the-queue-tests-0123456789";
const CRON_SECRET = "cron-secret-for-the-queue-tests";
const WORKER_URL = "http://shop.test/api/channel-worker";
const ENV = { ...META_ENV, WORKER_SECRET, CRON_SECRET, OUTBOX_DIR: mkdtempSync(path.join(tmpdir(), "comptoir-outbox-")) };

let pglite: PgliteStore;
let services: Services;
let seq = 0;
const phone = () => `3364${String(6_000_000 + ++seq).padStart(7, "0")}`;

/** What the worker route was sent, and the work it deferred (awaited by `settle`). */
let workerCalls: { headers: Headers; status: number }[] = [];
let workerDeferred: Promise<unknown>[] = [];
/** How the msw double of our own deployment treats the webhook's call to the worker. */
let workerMode: "forward" | "lose" | "fail" = "forward";

beforeAll(async () => {
  pglite = await createTestStore();
  services = await createTestServices(ENV, pglite);
});
afterAll(() => pglite.close());
beforeEach(async () => {
  setServices(services);
  graph.reset();
  graph.install();
  workerCalls = [];
  workerDeferred = [];
  workerMode = "forward";
  await setDbNow(pglite, null);
  server.use(
    http.post(WORKER_URL, async ({ request }) => {
      if (workerMode === "fail") return HttpResponse.json({ error: { code: "internal", message: "boom" } }, { status: 500 });
      if (workerMode === "lose") return new HttpResponse(null, { status: 202 }); // accepted, then the instance died
      const res = await workerPOST(request, { waitUntil: (p) => void workerDeferred.push(p) });
      workerCalls.push({ headers: request.headers, status: res.status });
      return res;
    }),
  );
});

/** Posts a signed delivery of one text per id; returns the 200 and the webhook's deferred work. */
async function deliver(from: string, ids: string[]) {
  const deferred: Promise<unknown>[] = [];
  const payload = waPayload([waMessages({ wa_id: from }, ids.map((id) => waText("Bonjour", id)))]);
  const res = await POST(signedPost("/api/whatsapp-webhook", payload), { waitUntil: (p) => void deferred.push(p) });
  return { res, deferred };
}

/** Awaits the webhook's deferred call and then everything the worker deferred. */
async function settle(deferred: Promise<unknown>[]) {
  await Promise.all(deferred);
  while (workerDeferred.length) await Promise.all(workerDeferred.splice(0));
}

const sentTo = (to: string) => graph.calls.filter((c) => c.body.to === to);

describe("the acknowledgement and the worker", () => {
  it("acknowledges with nothing sent, calls the worker with a signed request, and the worker answers the message once", async () => {
    const from = phone();
    const id = wamid();
    const { res, deferred } = await deliver(from, [id]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ received: true, messages: 1, duplicates: 0 });
    expect(graph.calls).toHaveLength(0);
    expect(await inboundGet(pglite, "whatsapp", id)).toMatchObject({ status: "working" });

    await settle(deferred);
    expect(workerCalls).toHaveLength(1);
    expect(workerCalls[0]!.status).toBe(202);
    expect(workerCalls[0]!.headers.get(INTERNAL_SIGNATURE_HEADER)).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(sentTo(from)).toHaveLength(1);
    expect(await inboundGet(pglite, "whatsapp", id)).toMatchObject({ status: "done", attempts: 1 });
    expect(await pglite.rpc<number>("channel_job_take", { p_limit: 10 })).toMatchObject({ taken: 0 });
  });

  it("answers the messages of one delivery in their order, each once, and a redelivery queues nothing", async () => {
    const from = phone();
    const ids = [wamid(), wamid(), wamid()];
    const first = await deliver(from, ids);
    await settle(first.deferred);
    const again = await deliver(from, ids);
    expect(await again.res.json()).toMatchObject({ messages: 0, duplicates: 3 });
    expect(again.deferred).toHaveLength(0);
    expect(sentTo(from)).toHaveLength(3);
    for (const id of ids) expect(await inboundGet(pglite, "whatsapp", id)).toMatchObject({ status: "done" });
    const replyOrder = await pglite.rpc<{ messages: { role: string; external_id?: string }[] } | null>("chat_transcript", {
      p_conversation_id: (await pglite.rpc<{ id: string }>("chat_conversation_get", { p_channel: "whatsapp", p_user_key: from })).id,
    });
    expect(replyOrder!.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "user", "assistant"]);
  });

  it("when the worker call fails (500), the acknowledging invocation answers the message itself, once", async () => {
    workerMode = "fail";
    const from = phone();
    const { res, deferred } = await deliver(from, [wamid()]);
    expect(res.status).toBe(200);
    await settle(deferred);
    expect(sentTo(from)).toHaveLength(1);
  });

  it("a job whose worker call was lost is answered by the cron job, and only once", async () => {
    workerMode = "lose";
    const from = phone();
    const id = wamid();
    const { deferred } = await deliver(from, [id]);
    await settle(deferred);
    expect(sentTo(from)).toHaveLength(0);

    const cron = await cronGET(req("/api/cron/cleanup", { headers: { authorization: `Bearer ${CRON_SECRET}` } }));
    expect(cron.status).toBe(200);
    expect((await cron.json()).jobs.channel_jobs).toMatchObject({ ok: true, counts: { jobs_done: 1, jobs_dropped: 0 } });
    expect(sentTo(from)).toHaveLength(1);
    const again = await cronGET(req("/api/cron/cleanup", { headers: { authorization: `Bearer ${CRON_SECRET}` } }));
    expect((await again.json()).jobs.channel_jobs).toMatchObject({ counts: { jobs_done: 0 } });
    expect(sentTo(from)).toHaveLength(1);
    expect(await inboundGet(pglite, "whatsapp", id)).toMatchObject({ status: "done", attempts: 1 });
  });

  it("a job whose message the retry job took over after its lease is dropped, not answered twice", async () => {
    workerMode = "lose";
    const from = phone();
    const id = wamid();
    await settle((await deliver(from, [id])).deferred);
    await setDbNow(pglite, new Date(Date.now() + 60 * 60_000)); // the lease has long ended
    expect(await retryChannelWork(services)).toMatchObject({ work_retried: 1, work_done: 1 });
    expect(sentTo(from)).toHaveLength(1);
    expect(await drainAsWorker(services)).toMatchObject({ done: 0, dropped: 1 });
    expect(sentTo(from)).toHaveLength(1);
  });
});

describe("a drain out of time", () => {
  it("hands what is left to a new worker call, which answers the rest once", async () => {
    workerMode = "lose";
    const from = phone();
    const ids = Array.from({ length: 7 }, () => wamid());
    await settle((await deliver(from, ids)).deferred);
    expect(graph.calls).toHaveLength(0);
    workerMode = "forward";
    const report = await drainAsWorker(services, { budgetMs: 0 });
    expect(report).toMatchObject({ done: 5, outOfTime: true }); // one batch, then the budget is spent
    expect(workerCalls).toHaveLength(1);
    await settle([]);
    expect(sentTo(from)).toHaveLength(7);
    for (const id of ids) expect(await inboundGet(pglite, "whatsapp", id)).toMatchObject({ status: "done", attempts: 1 });
  });
});

describe("workers racing", () => {
  it("four instances draining at once answer twelve queued messages exactly once each", async () => {
    workerMode = "lose";
    const users = [phone(), phone(), phone(), phone()];
    const ids = users.map(() => [wamid(), wamid(), wamid()]);
    for (const [i, from] of users.entries()) await settle((await deliver(from, ids[i]!)).deferred);
    expect(graph.calls).toHaveLength(0);

    // Separate Services objects: separate instances as far as the in-process bookkeeping goes.
    const instances = await Promise.all([1, 2, 3, 4].map(() => createServices(loadConfig({ ...BASE_ENV, ...ENV }), pglite)));
    const reports = await Promise.all(instances.map((s) => drainAsWorker(s)));
    expect(reports.reduce((n, r) => n + (r?.done ?? 0), 0)).toBe(12);
    for (const from of users) expect(sentTo(from)).toHaveLength(3);
    expect(graph.calls).toHaveLength(12);
    for (const id of ids.flat()) expect(await inboundGet(pglite, "whatsapp", id)).toMatchObject({ status: "done", attempts: 1 });
  });

  it("a delivery queued while the instance's only loop is busy is answered by that loop", async () => {
    const one = await createServices(loadConfig({ ...BASE_ENV, ...ENV, WORKER_CONCURRENCY: "1" }), pglite);
    workerMode = "lose";
    const a = phone();
    const b = phone();
    await settle((await deliver(a, [wamid()])).deferred);
    const running = drainAsWorker(one);
    await settle((await deliver(b, [wamid()])).deferred);
    expect(await drainAsWorker(one)).toBeNull(); // busy: a poke, not a second loop
    expect(await running).toMatchObject({ done: 2 });
    expect(sentTo(a)).toHaveLength(1);
    expect(sentTo(b)).toHaveLength(1);
  });
});

describe("the worker route's signature", () => {
  const call = (headers: Record<string, string>, url = WORKER_URL) => workerPOST(new Request(url, { method: "POST", headers }), { waitUntil: (p) => void workerDeferred.push(p) });
  const now = Date.now();

  it.each([
    ["no signature", {}],
    ["a signature made with another secret", signInternal("another-secret-another-secret-0123456", "POST", "/api/channel-worker", now)],
    ["a signature for another path", signInternal(WORKER_SECRET, "POST", "/api/cron/cleanup", now)],
    ["a signature ten minutes old", signInternal(WORKER_SECRET, "POST", "/api/channel-worker", now - 10 * 60_000)],
    ["a timestamp changed after signing", { ...signInternal(WORKER_SECRET, "POST", "/api/channel-worker", now), [INTERNAL_TIMESTAMP_HEADER]: String(Math.floor(now / 1000) + 1) }],
  ])("refuses %s with 401 and drains nothing", async (_name, headers) => {
    const res = await call(headers as Record<string, string>);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized");
    expect(workerDeferred).toHaveLength(0);
  });

  it("accepts a fresh signature with 202", async () => {
    const res = await call(signInternal(WORKER_SECRET, "POST", "/api/channel-worker"));
    expect(res.status).toBe(202);
    await settle([]);
  });

  it("answers 503 not_configured when WORKER_SECRET is not set", async () => {
    await createTestServices({ ...META_ENV }, pglite);
    const res = await call(signInternal(WORKER_SECRET, "POST", "/api/channel-worker"));
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe("not_configured");
  });
});

describe.runIf(TEST_DATABASE_URL)("the queue on real PostgreSQL", () => {
  it("60 messages queued by 30 parallel deliveries, drained by 6 instances racing with 4 loops each: every message answered exactly once", async () => {
    const db = await createPgDatabase();
    try {
      const pg = await createTestServices(ENV, db.store);
      workerMode = "lose";
      const users = Array.from({ length: 30 }, () => phone());
      const ids = users.map(() => [wamid(), wamid()]);
      const acks = await Promise.all(users.map((from, i) => deliver(from, ids[i]!)));
      await Promise.all(acks.map((a) => settle(a.deferred)));
      expect(acks.every((a) => a.res.status === 200)).toBe(true);
      expect(graph.calls).toHaveLength(0);

      const instances = await Promise.all(Array.from({ length: 6 }, () => createServices(pg.config, db.store)));
      const reports = await Promise.all(instances.flatMap((s) => [1, 2, 3, 4].map(() => drainAsWorker(s))));
      expect(reports.reduce((n, r) => n + (r?.done ?? 0), 0)).toBe(60);
      expect(graph.calls).toHaveLength(60);
      for (const from of users) expect(sentTo(from)).toHaveLength(2);
      for (const id of ids.flat()) expect(await inboundGet(db.store, "whatsapp", id)).toMatchObject({ status: "done", attempts: 1 });
    } finally {
      setServices(services);
      await db.drop();
    }
  });
});

describe("waking the worker (channel_worker)", () => {
  /** One claimed message queued by an acknowledgement, as channel_ingest_queue does it. */
  const ingest = (store: PgliteStore | Awaited<ReturnType<typeof createPgDatabase>>["store"], id: string) =>
    store.rpc<{ queued: number; wake: boolean }>("channel_ingest_queue", {
      p_channel: "whatsapp",
      p_messages: [{ message_id: id, user_id: "33600000001", action: "turn", opens_window: true, sent_at: new Date().toISOString(), message: { text: "Bonjour" } }],
      p_wake_seconds: 30,
    });

  it("only the acknowledgement that finds the worker asleep is told to call it; an empty take puts it back to sleep", async () => {
    while (!(await pglite.rpc<{ asleep: boolean }>("channel_job_take", { p_limit: 50 })).asleep) { /* empty the queue */ }
    expect(await ingest(pglite, wamid())).toMatchObject({ queued: 1, wake: true });
    expect(await ingest(pglite, wamid())).toMatchObject({ queued: 1, wake: false }); // a worker is on its way
    expect(await pglite.rpc("channel_job_take", { p_limit: 5 })).toMatchObject({ taken: 2, asleep: false });
    expect(await ingest(pglite, wamid())).toMatchObject({ wake: false }); // still draining
    expect(await pglite.rpc("channel_job_take", { p_limit: 5 })).toMatchObject({ taken: 1, asleep: false });
    expect(await pglite.rpc("channel_job_take", { p_limit: 5 })).toMatchObject({ taken: 0, asleep: true });
    expect(await ingest(pglite, wamid())).toMatchObject({ wake: true });
    // A worker that died: after its wake time, the next acknowledgement calls another one.
    await setDbNow(pglite, new Date(Date.now() + 31_000));
    try {
      expect(await ingest(pglite, wamid())).toMatchObject({ wake: true });
    } finally {
      await setDbNow(pglite, null);
    }
    while (!(await pglite.rpc<{ asleep: boolean }>("channel_job_take", { p_limit: 50 })).asleep) { /* leave it empty */ }
  });

  it.runIf(TEST_DATABASE_URL)("on real PostgreSQL, a worker going to sleep waits for the acknowledgement in flight and then takes its job", async () => {
    const db = await createPgDatabase();
    try {
      const take = () => db.store.rpc<{ taken: number; asleep: boolean }>("channel_job_take", { p_limit: 5, p_wake_seconds: 30 });
      expect(await ingest(db.store, "wamid.first")).toMatchObject({ wake: true });
      expect(await take()).toMatchObject({ taken: 1, asleep: false }); // a worker is draining
      // An acknowledgement queues a job in a transaction that has not committed yet: it saw the
      // worker awake, so it calls nobody.
      let commit!: () => void;
      const committed = new Promise<void>((r) => (commit = r));
      let ackResult: unknown;
      const ack = db.store.sql.begin(async (tx) => {
        const messages = [{ message_id: "wamid.in-flight", user_id: "33600000001", action: "turn", opens_window: true, sent_at: new Date().toISOString(), message: { text: "Bonjour" } }];
        [ackResult] = await tx.unsafe(`select public.channel_ingest_queue(p_channel => 'whatsapp', p_messages => $1, p_wake_seconds => 30) as r`, [messages as never]);
        await committed;
      });
      await new Promise((r) => setTimeout(r, 100));
      expect(ackResult).toMatchObject({ r: { queued: 1, wake: false } });
      // The worker finds nothing it can see and goes to sleep: it must wait for that transaction.
      let slept: { taken: number; asleep: boolean } | undefined;
      const sleeping = take().then((r) => (slept = r));
      await new Promise((r) => setTimeout(r, 300));
      expect(slept).toBeUndefined();
      commit();
      await ack;
      await sleeping;
      expect(slept).toMatchObject({ taken: 0, asleep: false }); // it saw the job: not asleep
      expect(await take()).toMatchObject({ taken: 1 });
      expect(await take()).toMatchObject({ taken: 0, asleep: true });
    } finally {
      await db.drop();
    }
  });

  it.runIf(TEST_DATABASE_URL)("on real PostgreSQL, 400 acknowledgements racing workers that fall asleep leave no job behind", async () => {
    const db = await createPgDatabase();
    try {
      let wakes = 0;
      let taken = 0;
      const workers: Promise<void>[] = [];
      // A called worker: takes jobs until the queue says it is asleep.
      const worker = async () => {
        for (;;) {
          const t = await db.store.rpc<{ taken: number; asleep: boolean }>("channel_job_take", { p_limit: 3, p_wake_seconds: 30 });
          taken += t.taken;
          if (t.asleep) return;
          if (!t.taken) await new Promise((r) => setTimeout(r, 2));
        }
      };
      // 10 rounds of 40 acknowledgements at once; the woken worker races the round's
      // acknowledgements still in flight, then falls asleep before the next round.
      for (let round = 0; round < 10; round++) {
        await Promise.all(Array.from({ length: 40 }, async (_, k) => {
          const r = await ingest(db.store, `wamid.wake-${round}-${k}`);
          if (r.wake) {
            wakes++;
            workers.push(worker());
          }
        }));
        await Promise.all(workers);
      }
      await Promise.all(workers);
      const left = await db.store.rpc<{ taken: number; asleep: boolean }>("channel_job_take", { p_limit: 1000 });
      expect(left.taken).toBe(0); // nothing queued while every worker went to sleep
      expect(taken).toBe(400);
      expect(wakes).toBeGreaterThanOrEqual(10); // asleep after each round, woken by the next
      expect(wakes).toBeLessThan(400); // and most acknowledgements called nobody
      console.log(`[wake] 400 acknowledgements called the worker ${wakes} times`);
    } finally {
      await db.drop();
    }
  });
});
