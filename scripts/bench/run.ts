/**
 * npm run bench — measures Comptoir and writes BENCHMARKS.md:
 *   1. cold start per function (fresh process, compiled function, one request) and import graph size
 *   2. database round trips per request (counted by the store)
 *   3. server overhead per chat turn under load (autocannon, one dev-server process; PGlite and PostgreSQL)
 *   4. webhook acknowledgement at a fixed rate, and exactly-once processing afterwards
 *   5. breaker cost per outside call (closed) and upstream requests saved (open)
 * Outside services are loopback doubles answering instantly. BENCH_QUICK=1 shortens every run.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { measureColdStarts, type ColdStartRow, type SdkImportRow } from "./cold-start.js";
import { startDoubles } from "./doubles.js";
import { load, startDevProcess, type LoadResult } from "./load.js";
import { freshDatabase, startPostgres } from "./postgres.js";
import { benchEnv } from "./scenarios.js";
import { measureRoundTrips, type RoundTripRow } from "./round-trips.js";
import { measureBreaker, type BreakerResult } from "./breaker-cost.js";
import { measureWebhookAck, type WebhookAckResult } from "./webhook-ack.js";

const QUICK = process.env.BENCH_QUICK === "1";
const LOAD_S = QUICK ? 5 : 30;
const COLD_RUNS = QUICK ? 3 : 10;
const started = Date.now();
const log = (m: string) => console.log(`[bench +${Math.round((Date.now() - started) / 1000)}s] ${m}`);

const pg = startPostgres();
const doubles = await startDoubles();
try {
  log(`PostgreSQL at ${pg.url.replace(/\/\/[^@]*@/, "//")}; doubles at ${doubles.url}`);
  const dbUrl = await freshDatabase(pg.url, "comptoir_bench");
  const env = benchEnv(doubles.url, { DATABASE_URL: dbUrl });

  log("round trips per request");
  const rt = await measureRoundTrips(env);

  log(`cold start per function (${COLD_RUNS} runs each)`);
  const cold = await measureColdStarts(env, { productId: rt.productId }, COLD_RUNS);

  log(`chat turn overhead under load (${LOAD_S} s each)`);
  const chat: Record<string, LoadResult> = {};
  for (const backend of ["pglite", "postgres"] as const) {
    const dev = await startDevProcess(backend === "postgres" ? { ...env, DATABASE_URL: await freshDatabase(pg.url, "comptoir_bench_chat") } : { ...env, DATABASE_URL: "" });
    try {
      chat[backend] = await load(dev.url, {
        duration: LOAD_S,
        connections: 8,
        make: () => ({ method: "POST", path: "/api/chat", headers: { "content-type": "application/json" }, body: JSON.stringify({ message: "Bonjour, vous avez des robes ?" }) }),
      });
    } finally {
      await dev.stop();
    }
  }

  const ack: WebhookAckResult[] = [];
  for (const rate of [50, 200]) {
    log(`webhook acknowledgement at ${rate}/s for ${LOAD_S} s`);
    ack.push(await measureWebhookAck(env, await freshDatabase(pg.url, `comptoir_bench_ack_${rate}`), LOAD_S, doubles, rate));
  }

  log("breaker cost");
  const breaker = await measureBreaker(env, doubles);

  writeFileSync("BENCHMARKS.md", report({ cold, rt: rt.rows, chat, ack, breaker }));
  log("wrote BENCHMARKS.md");
} finally {
  await doubles.close();
  pg.stop();
}

function report(r: { cold: { floorMs: number; rows: ColdStartRow[]; sdks: SdkImportRow[] }; rt: RoundTripRow[]; chat: Record<string, LoadResult>; ack: WebhookAckResult[]; breaker: BreakerResult }): string {
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "—");
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `# Benchmarks

Written by \`npm run bench\` (scripts/bench/) on ${new Date().toISOString().slice(0, 10)}${QUICK ? " (BENCH_QUICK: short runs)" : ""}.
Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}; Node ${process.version}.
Outside services (Graph API, Stripe, ...) are loopback doubles that answer instantly, so the numbers are
Comptoir's own cost. The database is a local PostgreSQL ${""}server unless the row says PGlite. Numbers from a
shared 2-core machine vary by ±20 % between runs; compare rows of one run, not runs.

## 1. Cold start per function

A fresh Node process imports one compiled function (esbuild: our code bundled, packages from
node_modules, dynamic imports left lazy, as a deployment ships it) and serves one representative
request; timed from spawn to the response, median and p90 of ${COLD_RUNS} runs. Database: PostgreSQL
over \`DATABASE_URL\` (the production path). Floor: bare \`node -e\` in the same run = **${f(r.cold.floorMs)} ms**.
"Eager" is the code loaded before the first response (static imports); "traced" adds everything the
function may load lazily (what a deployment bundles). WASM/data files (PGlite) are not counted.

| function | status | median ms | p90 ms | over floor ms | eager MB (files) | traced MB |
| --- | --- | ---: | ---: | ---: | ---: | ---: |
${r.cold.rows.map((x) => `| ${x.name} | ${x.status} | ${f(x.medianMs)} | ${f(x.p90Ms)} | ${f(x.medianMs - r.cold.floorMs)} | ${f(x.eagerMB, 2)} (${x.eagerFiles}) | ${f(x.tracedMB, 2)} |`).join("\n")}

What the lazy loading saves: each heavy SDK imported eagerly in a fresh process, time over the floor
(median of ${COLD_RUNS}). None of them is on the path of a request that does not need it: Sentry loads on
the first captured error, Stripe in checkout and the Stripe webhook, the AI SDK when an LLM is
configured, Google Drive when a document is archived, nodemailer when an email is sent over SMTP.

| SDK | added to a cold start if imported eagerly (ms) |
| --- | ---: |
${r.cold.sdks.map((x) => `| \`${x.name}\` | ${f(x.medianMs)} |`).join("\n")}

## 2. Database round trips per request

Counted by the store (\`store.roundTrips\`), in-process, PostgreSQL backend. "Before the response"
is what the caller waits for; "deferred" runs after it (\`waitUntil\`). Budget (DESIGN.md): a chat
turn ≤ 2, a webhook delivery ≤ 2, a lead ≤ 2.

| request | status | before the response | deferred | budget |
| --- | --- | ---: | ---: | --- |
${r.rt.map((x) => `| ${x.name} | ${x.status} | ${x.before} | ${x.deferred} | ${x.budget ?? ""} |`).join("\n")}

## 3. Server overhead per chat turn

One dev-server process, offline assistant, a new conversation per request ("Bonjour, vous avez des
robes ?": a catalogue search), autocannon with 8 connections for ${LOAD_S} s.

| database | p50 ms | p90 ms | p99 ms | requests/s | requests | non-2xx |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${Object.entries(r.chat).map(([k, x]) => `| ${k === "pglite" ? "PGlite (embedded)" : "PostgreSQL 15 (loopback)"} | ${x.p50} | ${x.p90} | ${x.p99} | ${f(x.rps)} | ${x.requests} | ${x.non2xx} |`).join("\n")}

## 4. Webhook acknowledgement

Signed WhatsApp deliveries (one "Bonjour" text each, unique ids) at a fixed rate for ${LOAD_S} s
against one dev-server process on PostgreSQL; the assistant's turn and the reply to the Graph
double are deferred (\`waitUntil\`) but run in the same process, so above what one process can
turn over (see section 3) acknowledgements queue behind that work. Afterwards, once the deferred
work has drained: deliveries processed exactly once (one stored assistant reply per message id).
"Sent" counts the requests the load generator prepared (the last may not leave before the run
stops); "answered in the window" counts responses received before it stopped; "claimed" counts
the deliveries the server verified and claimed.
${r.ack.map((a) => a.note).join("\n")}

| rate | sent | answered 200 in the window | p50 ms | p90 ms | p99 ms | claimed (received, signed) | processed exactly once | processed twice |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${r.ack.map((a) => `| ${a.rate}/s | ${a.sent} | ${a.ok} | ${a.p50} | ${a.p90} | ${a.p99} | ${a.claimed} | ${a.once} | ${a.twice} |`).join("\n")}

## 5. Breaker cost

${r.breaker.calls} sequential calls to a loopback double through \`lib/http\` (PostgreSQL store).

| measure | value |
| --- | --- |
| median per call, raw \`fetch\` | ${f(r.breaker.rawMedianMs, 2)} ms |
| median per call, \`lib/http\` with the breaker closed | ${f(r.breaker.closedMedianMs, 2)} ms |
| added per call when closed | ${f(r.breaker.closedMedianMs - r.breaker.rawMedianMs, 2)} ms (${r.breaker.closedRoundTrips} round trip(s) per call) |
| median per refused call, breaker open | ${f(r.breaker.openMedianMs, 2)} ms |
| upstream requests while open | ${r.breaker.openUpstreamRequests} of ${r.breaker.calls} calls (${r.breaker.calls - r.breaker.openUpstreamRequests} saved) |
`;
}
