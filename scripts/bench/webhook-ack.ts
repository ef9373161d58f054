/**
 * Signed WhatsApp deliveries at a fixed rate against one dev-server process on PostgreSQL, the
 * answers going through the job queue and the worker route (WORKER_SECRET set, the worker called
 * on the same dev server: one local instance); then the time until the queue is drained, and how
 * many deliveries were processed exactly once (one stored assistant reply per message id).
 * The dev server runs the worker route in its second instance (a worker thread with its own
 * pool, scripts/dev-instance.ts), as a platform runs it in an invocation of its own.
 */
import { signInternal } from "../../lib/auth.js";
import { WORKER_PATH } from "../../lib/channels/dispatch.js";
import { load, startDevProcess } from "./load.js";
import { whatsappDelivery } from "./scenarios.js";
import type { Doubles } from "./doubles.js";

/**
 * Where the answers run: "here" = the dev server's second instance (same machine, its 2 cores
 * shared with the acknowledgements); "elsewhere" = the worker call goes to a double that accepts
 * it (an instance on other hardware), and the local worker drains the queue after the load.
 */
export type AnswersRun = "here" | "elsewhere";

export interface WebhookAckResult { answers: AnswersRun; rate: number; sent: number; ok: number; p50: number; p90: number; p99: number; once: number; twice: number; claimed: number; drainS: number; note: string }

export const WORKER_SECRET = "bench-worker-secret-0123456789abcdefghij";

export async function measureWebhookAck(env: Record<string, string>, dbUrl: string, seconds: number, doubles: Doubles, rate: number, answers: AnswersRun = "here"): Promise<WebhookAckResult> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const here = `http://127.0.0.1:${port}`;
  const dev = await startDevProcess({ ...env, DATABASE_URL: dbUrl, WORKER_SECRET, WORKER_BASE_URL: answers === "here" ? here : doubles.url }, port);
  const sendsBefore = doubles.counts["POST /v26.0/:id/messages"] ?? 0;
  let n = 0;
  const ids: string[] = [];
  try {
    // Warm the instance first (modules loaded, connections open, the worker instance started):
    // cold starts are section 1; this section is the steady state of a warm instance.
    await warmUp(dev.url, dbUrl, `${rate}-${answers}`, answers === "elsewhere" ? here : null);

    const r = await load(dev.url, {
      duration: seconds,
      overallRate: rate,
      make: () => {
        const id = `wamid.ack-${rate}-${answers}-${process.pid}-${++n}`;
        ids.push(id);
        return whatsappDelivery("Bonjour", id, `3361${String(n % 500).padStart(7, "0")}`);
      },
    });
    // The backlog: time from the end of the load until no job is queued and no message is being answered.
    const loadEnded = performance.now();
    // Elsewhere: the local worker drains after the load; its hand-off (out of time) would go to the
    // double, so the harness calls it again every few seconds while jobs are left.
    if (answers === "elsewhere") await callWorker(here);
    const { default: postgres } = await import("postgres");
    const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
    let drainS = NaN;
    for (let i = 0; i < 2400; i++) {
      const [q] = await sql.unsafe(`select (select count(*) from public.channel_job)::int as jobs,
        (select count(*) from public.channel_inbound where status = 'working')::int as working`);
      if (q!.jobs === 0 && q!.working === 0) {
        drainS = (performance.now() - loadEnded) / 1000;
        break;
      }
      await new Promise((res) => setTimeout(res, 250));
      if (answers === "elsewhere" && i % 20 === 19) await callWorker(here);
    }
    const counts = await countProcessed(sql, `wamid.ack-${rate}-${answers}-%`);
    await sql.end();
    const replies = (doubles.counts["POST /v26.0/:id/messages"] ?? 0) - sendsBefore;
    const sent = ids.length; // every delivery generated, including those still in flight at the end
    return {
      answers,
      rate,
      sent,
      ok: r.requests - r.non2xx,
      p50: r.p50,
      p90: r.p90,
      p99: r.p99,
      once: counts.once,
      twice: counts.twice,
      claimed: counts.claimed,
      drainS,
      note: `${rate}/s, answers ${answers === "here" ? "on this machine" : "elsewhere, drained after the load"}: replies sent to the Graph double: ${replies}. ${counts.note}${r.errors ? ` Requests that got no response: ${Object.entries(r.errorKinds).map(([k, n]) => `${n} × ${k}`).join(", ")}.` : ""}`,
    };
  } finally {
    await dev.stop();
  }
}

/** The signed call the webhooks make to the worker route, here to the local dev server's. */
async function callWorker(baseUrl: string): Promise<void> {
  const res = await fetch(`${baseUrl}${WORKER_PATH}`, { method: "POST", headers: signInternal(WORKER_SECRET, "POST", WORKER_PATH) });
  await res.text();
  if (res.status !== 202) throw new Error(`worker call refused: ${res.status}`);
}

async function warmUp(url: string, dbUrl: string, tag: string, localWorker: string | null): Promise<void> {
  const { default: postgres } = await import("postgres");
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    for (let i = 0; i < 20; i++) {
      const d = whatsappDelivery("Bonjour", `wamid.warm-${tag}-${process.pid}-${i}`, "33600000000");
      await fetch(`${url}${d.path}`, { method: d.method, headers: d.headers, body: d.body }).then((r) => r.text());
    }
    if (localWorker) await callWorker(localWorker);
    // Until the warm-up's answers are done and the worker is asleep: a worker still draining
    // would take the load's jobs, and "elsewhere" would answer here.
    for (let i = 0; i < 300; i++) {
      const [q] = await sql.unsafe(`select (select count(*) from public.channel_job)::int as jobs,
        (select count(*) from public.channel_inbound where status = 'working')::int as working,
        (select awake_until is null from public.channel_worker) as asleep`);
      if (q!.jobs === 0 && q!.working === 0 && q!.asleep) break;
      await new Promise((res) => setTimeout(res, 100));
    }
  } finally {
    await sql.end();
  }
}

async function countProcessed(sql: import("postgres").Sql, like: string): Promise<{ once: number; twice: number; claimed: number; note: string }> {
  // Per delivered message id: the assistant replies stored for it (one turn = one reply).
  const [turns] = await sql.unsafe(`select count(*) filter (where replies = 1)::int as once, count(*) filter (where replies > 1)::int as twice
    from (select u.external_id, count(a.id) as replies
          from public.chat_message u left join public.chat_message a on a.reply_to = u.id and a.role = 'assistant'
          where u.role = 'user' and u.external_id like $1 group by u.external_id) t`, [like]);
  const [sends] = await sql.unsafe(`select count(*)::int as sent_parts, count(distinct source_key)::int as answered,
      (select count(*)::int from public.channel_inbound where message_id like $1) as claimed
    from public.channel_outbound where status = 'sent' and source_key like $1`, [like]);
  return {
    once: turns!.once as number,
    twice: turns!.twice as number,
    claimed: sends!.claimed as number,
    note: `Claimed inbound messages: ${sends!.claimed}; deliveries answered on WhatsApp: ${sends!.answered} (${sends!.sent_parts} message parts sent). Counted from the stored conversation (one assistant reply per inbound message id).`,
  };
}
