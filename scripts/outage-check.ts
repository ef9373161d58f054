/**
 * Database outage check (issue 16, defect 1), bench-like: chat and health under steady load
 * through a TCP proxy to PostgreSQL; the proxy is cut for a while, then restored. Prints each
 * route's latency (median, max) and statuses before, during and after the outage, and exits 1
 * if any answer took longer than the request budget + 1 s, any was a 500, or the process did
 * not recover. Offline assistant, no outside services.
 *   npx tsx scripts/outage-check.ts <postgres-url-of-a-throwaway-database> [stopped|unreachable] [outage-seconds]
 * (source scripts/pg-throwaway.sh; pg_throwaway_start gives one in $PG_THROWAWAY_URL.)
 */
import { randomBytes } from "node:crypto";
import { GET as health } from "../api/health.js";
import { POST as chat } from "../api/chat.js";
import { loadConfig } from "../lib/config.js";
import { createServices, setServices } from "../lib/services.js";
import { createPostgresStore } from "../lib/store/postgres.js";
import { DbProxy } from "../tests/helpers/db-proxy.js";

const [url, modeArg = "stopped", secondsArg = "10"] = process.argv.slice(2);
if (!url) {
  console.error("usage: npx tsx scripts/outage-check.ts <postgres-url> [stopped|unreachable] [outage-seconds]");
  process.exit(2);
}
const mode = modeArg === "unreachable" ? "unreachable" : "stopped";
const outageMs = Number(secondsArg) * 1000;
const BUDGET_MS = 25_000;
const WORKERS = 8;

const target = new URL(url);
const proxy = new DbProxy({ host: target.hostname, port: Number(target.port || 5432) });
await proxy.start();
const viaProxy = new URL(url);
viaProxy.host = `127.0.0.1:${proxy.port}`;
const store = await createPostgresStore({ url: viaProxy.toString(), prepare: true, max: 5 });
await store.migrate();
const config = loadConfig({ LOG_LEVEL: "silent", PUBLIC_BASE_URL: "http://shop.test", REQUEST_BUDGET_MS: String(BUDGET_MS), CHAT_RATE_IP_LIMIT: "100000", CHAT_RATE_SESSION_LIMIT: "100000" });
setServices(await createServices(config, store));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type Phase = "before" | "outage" | "after";
let phase: Phase = "before";
const samples: Array<{ route: string; phase: Phase; ms: number; status: number }> = [];
let running = true;

async function worker(i: number): Promise<void> {
  for (let n = 0; running; n++) {
    const route = n % 4 === 3 ? "health" : "chat";
    const started = performance.now();
    const at = phase;
    const res =
      route === "health"
        ? await health(new Request("http://shop.test/api/health"))
        : await chat(
            new Request("http://shop.test/api/chat", {
              method: "POST",
              headers: { "content-type": "application/json", "x-forwarded-for": `10.1.${i}.${n % 250}` },
              body: JSON.stringify({ message: n % 2 ? "Vous avez des robes ?" : "Bonjour", messageId: `m-${randomBytes(6).toString("hex")}` }),
            }),
          );
    await res.arrayBuffer();
    samples.push({ route, phase: at, ms: performance.now() - started, status: res.status });
    // Pace the load (and let timers run: a fast-failing turn may never leave the microtask queue).
    await sleep(10);
  }
}

const workers = Array.from({ length: WORKERS }, (_, i) => worker(i));
await sleep(5_000);
phase = "outage";
await proxy.cut(mode);
await sleep(outageMs);
await proxy.restore();
phase = "after";
await sleep(5_000);
running = false;
await Promise.all(workers);

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : NaN;
};
let failed = false;
console.log(`database ${mode} for ${outageMs / 1000} s, ${WORKERS} workers, budget ${BUDGET_MS / 1000} s`);
console.log("| route | phase | requests | median ms | max ms | statuses |");
console.log("| --- | --- | ---: | ---: | ---: | --- |");
for (const route of ["chat", "health"]) {
  for (const p of ["before", "outage", "after"] as Phase[]) {
    const rows = samples.filter((s) => s.route === route && s.phase === p);
    const statuses = Object.entries(rows.reduce<Record<number, number>>((a, r) => ((a[r.status] = (a[r.status] ?? 0) + 1), a), {}))
      .map(([k, v]) => `${k}×${v}`)
      .join(" ");
    const max = Math.max(...rows.map((r) => r.ms));
    console.log(`| ${route} | ${p} | ${rows.length} | ${quantile(rows.map((r) => r.ms), 0.5).toFixed(0)} | ${max.toFixed(0)} | ${statuses} |`);
    if (max > BUDGET_MS + 1000 || rows.some((r) => r.status >= 500 && r.status !== 503)) failed = true;
  }
}
const lastHealth = samples.filter((s) => s.route === "health").at(-1);
if (lastHealth?.status !== 200) {
  console.log("not recovered: the last health check was", lastHealth?.status);
  failed = true;
}
await store.close();
await proxy.close();
process.exit(failed ? 1 : 0);
