/** Load runs against one dev-server process (autocannon), and the server process itself. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import type { BenchRequest } from "./scenarios.js";

export interface DevProcess { url: string; child: ChildProcess; stop(): Promise<void>; /** Request log lines (LOG_LEVEL=info) by route. */ requests: ServerRequest[] }

/** One request as the server logged it (lib/route's request line). */
export interface ServerRequest { route: string; status: number; durationMs: number; roundTrips: number }

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
        requests.push({ route: r.route, status: r.status, durationMs: r.durationMs, roundTrips: r.roundTrips });
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

export interface LoadResult { p50: number; p90: number; p99: number; rps: number; requests: number; non2xx: number; errors: number; durationS: number }

export async function load(url: string, opts: { make: () => BenchRequest; duration: number; connections: number; overallRate?: number }): Promise<LoadResult> {
  const first = opts.make();
  const result = await autocannon({
    url: `${url}${first.path}`,
    method: first.method as "POST",
    duration: opts.duration,
    connections: opts.connections,
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const r = opts.make();
          return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
        },
      },
    ],
  });
  return {
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    rps: result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    durationS: result.duration,
  };
}
