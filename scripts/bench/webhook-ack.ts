/**
 * Signed WhatsApp deliveries at a fixed rate against one dev-server process on PostgreSQL, the
 * answers going through the job queue and the worker route (WORKER_SECRET set, the worker called
 * on the same dev server: one local instance); then the time until the queue is drained, and how
 * many deliveries were processed exactly once (one stored assistant reply per message id).
 */
import { load, startDevProcess } from "./load.js";
import { whatsappDelivery } from "./scenarios.js";
import type { Doubles } from "./doubles.js";

export interface WebhookAckResult { rate: number; sent: number; ok: number; p50: number; p90: number; p99: number; once: number; twice: number; claimed: number; drainS: number; note: string }

export const WORKER_SECRET = "bench-worker-secret-0123456789abcdefghij";

export async function measureWebhookAck(env: Record<string, string>, dbUrl: string, seconds: number, doubles: Doubles, rate: number): Promise<WebhookAckResult> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const dev = await startDevProcess({ ...env, DATABASE_URL: dbUrl, WORKER_SECRET, WORKER_BASE_URL: `http://127.0.0.1:${port}` }, port);
  const sendsBefore = doubles.counts["POST /v26.0/:id/messages"] ?? 0;
  let n = 0;
  const ids: string[] = [];
  try {
    const r = await load(dev.url, {
      duration: seconds,
      connections: 50,
      overallRate: rate,
      make: () => {
        const id = `wamid.ack-${rate}-${process.pid}-${++n}`;
        ids.push(id);
        return whatsappDelivery("Bonjour", id, `3361${String(n % 500).padStart(7, "0")}`);
      },
    });
    // The backlog: time from the end of the load until no job is queued and no message is being answered.
    const loadEnded = performance.now();
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
    }
    const counts = await countProcessed(sql, `wamid.ack-${rate}-%`);
    await sql.end();
    const replies = (doubles.counts["POST /v26.0/:id/messages"] ?? 0) - sendsBefore;
    const sent = ids.length; // every delivery generated, including those still in flight at the end
    return {
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
      note: `${rate}/s: replies sent to the Graph double: ${replies}. ${counts.note}`,
    };
  } finally {
    await dev.stop();
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
