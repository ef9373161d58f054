/** Load runs against one dev-server process (an open-loop generator), and the server process itself. */
import { spawn, type ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BenchRequest } from "./scenarios.js";

export interface DevProcess { url: string; child: ChildProcess; stop(): Promise<void>; /** Request log lines (LOG_LEVEL=info) by route. */ requests: ServerRequest[] }

/** One request as the server logged it (lib/route's request line). */
export interface ServerRequest { route: string; status: number; durationMs: number; roundTrips: number; storeMs: number }

export async function startDevProcess(env: Record<string, string>, port = 20000 + Math.floor(Math.random() * 20000)): Promise<DevProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "comptoir-bench-"));
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/dev-server.ts"], {
    env: { ...process.env, ...env, PORT: String(port), DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d));
  const requests: ServerRequest[] = [];
  let buffered = "";
  child.stdout!.on("data", (d: Buffer) => {
    buffered += d;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      if (!line.includes('"msg":"request"')) continue;
      try {
        const r = JSON.parse(line) as ServerRequest;
        requests.push({ route: r.route, status: r.status, durationMs: r.durationMs, roundTrips: r.roundTrips, storeMs: r.storeMs });
      } catch {
        /* not a log line */
      }
    }
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`dev server did not start: ${err.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    requests,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}

export interface LoadResult { p50: number; p90: number; p99: number; rps: number; requests: number; non2xx: number; errors: number; /** What the failed requests failed with (error code or message: count). */ errorKinds: Record<string, number>; durationS: number; /** How late the generator sent its latest request (ms): large = the figures are not at the rate asked. */ maxLagMs: number }

/**
 * An open-loop load: request i leaves at start + i / rate whatever the earlier ones are doing
 * (as wrk2 or k6's constant-arrival-rate do), over a keep-alive connection pool; latency from
 * the request leaving to the response's last byte. (autocannon's `overallRate`, used before,
 * reported ~36 ms p50 for a health check that answers in ~6 ms at 50/s: its rate limiting
 * holds requests per connection, and that wait was counted as latency.) The client is node:http
 * with a keep-alive agent rather than `fetch`: the generator shares the machine's 2 cores with
 * the server it measures, and fetch costs it about three times the CPU per request.
 */
export async function load(url: string, opts: { make: () => BenchRequest; duration: number; overallRate: number }): Promise<LoadResult> {
  const total = Math.round(opts.duration * opts.overallRate);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const errorKinds: Record<string, number> = {};
  let maxLagMs = 0;
  const inFlight: Promise<void>[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / opts.overallRate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    maxLagMs = Math.max(maxLagMs, performance.now() - due);
    const r = opts.make();
    const sent = performance.now();
    inFlight.push(
      send(agent, url, r)
        .then((status) => {
          latencies.push(performance.now() - sent);
          if (status < 200 || status > 299) non2xx++;
        })
        .catch((err: NodeJS.ErrnoException) => {
          errors++;
          const kind = err.code ?? err.message;
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        }),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  const durationS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN) * 10) / 10;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), rps: latencies.length / durationS, requests: latencies.length, non2xx, errors, errorKinds, durationS, maxLagMs };
}

/**
 * One request; resolves with the status once the whole response has arrived (30 s at most). A
 * request written on a kept-alive socket the server closed at that moment fails with ECONNRESET
 * without reaching it; it is sent again once, as Node's documentation of
 * `request.reusedSocket` advises.
 */
function send(agent: Agent, base: string, r: BenchRequest, retried = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = r.body === undefined ? undefined : Buffer.from(r.body);
    const req = request(new URL(r.path, base), {
      method: r.method,
      agent,
      headers: { ...r.headers, ...(body ? { "content-length": String(body.length) } : {}) },
      timeout: 30_000,
    }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (err: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && err.code === "ECONNRESET") resolve(send(agent, base, r, true));
      else reject(err);
    });
    req.end(body);
  });
}
