// Cold-start probe: a fresh Node process imports one compiled api/ module, serves one request
// (described by COLD_REQUEST, JSON), prints "served <status> <cpu ms> <max RSS KiB> <ms since
// the process started>" as soon as the response is ready, then finishes any deferred work and
// exits. The last number is the cold start (the process's own clock, so the harness's spawn
// cost is not in it); hyperfine (BENCHMARKS.md) times the whole process from outside.
import { peakRssKiB } from "./peak-rss.mjs";

const spec = JSON.parse(process.env.COLD_REQUEST);
const mod = await import(spec.module);
const pending = [];
const res = await mod[spec.method](
  new Request(spec.url, { method: spec.method, headers: spec.headers, body: spec.body }),
  { waitUntil: (p) => pending.push(p) },
);
const cpu = process.cpuUsage();
process.stdout.write(`served ${res.status} ${((cpu.user + cpu.system) / 1000).toFixed(1)} ${peakRssKiB()} ${performance.now().toFixed(1)}\n`);
await Promise.allSettled(pending);
process.exit(0);
