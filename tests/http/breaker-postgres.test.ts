/** The shared breaker on a real PostgreSQL server: concurrent callers and separate processes. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { promisify } from "node:util";
import path from "node:path";
import { createPgDatabase, TEST_DATABASE_URL } from "../helpers/store.js";

const run = promisify(execFile);

describe.runIf(TEST_DATABASE_URL)("shared breaker on real PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  beforeAll(async () => {
    db = await createPgDatabase();
  });
  afterAll(() => db?.drop());

  it("50 concurrent callers when the cool-down ends: exactly one probe", async () => {
    const args = { p_name: "hf", p_threshold: 1, p_open_ms: 200 };
    await db.store.rpc("breaker_report", { ...args, p_success: false });
    await new Promise((r) => setTimeout(r, 250));
    const tickets = await Promise.all(Array.from({ length: 50 }, () => db.store.rpc<{ decision: string }>("breaker_acquire", args)));
    expect(tickets.filter((t) => t.decision === "probe")).toHaveLength(1);
    expect(tickets.filter((t) => t.decision === "reject")).toHaveLength(49);
  });

  it("four processes sharing the database send at most threshold + one probe per cool-down (+ calls already in flight) to a dead upstream", async () => {
    const times: number[] = [];
    const upstream: Server = createServer((_req, res) => {
      times.push(Date.now());
      res.writeHead(503, { "content-type": "application/json" }).end('{"message":"down"}');
    });
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    const port = (upstream.address() as { port: number }).port;
    const THRESHOLD = 4;
    const OPEN_MS = 500;
    const DURATION_MS = 2600;
    const tsx = path.resolve("node_modules/.bin/tsx");
    const outputs = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(tsx, ["tests/helpers/breaker-worker.ts"], {
          env: { ...process.env, DATABASE_URL: db.url, UPSTREAM_URL: `http://127.0.0.1:${port}`, THRESHOLD: String(THRESHOLD), OPEN_MS: String(OPEN_MS), DURATION_MS: String(DURATION_MS) },
          timeout: 60_000,
        }),
      ),
    );
    upstream.close();
    const results = outputs.map((o) => JSON.parse(o.stdout.trim().split("\n").pop()!) as { calls: number; rejected: number });
    const calls = results.reduce((n, r) => n + r.calls, 0);
    const rejected = results.reduce((n, r) => n + r.rejected, 0);
    const requests = times.length;
    // Cool-downs that could end while the breaker was open: from the request that opened it to the last one.
    const openedAt = times[THRESHOLD - 1] ?? Date.now();
    const window = times[requests - 1]! - openedAt;
    const coolDowns = Math.floor(window / OPEN_MS) + 1;
    console.log(`[breaker] ${requests} upstream requests for ${calls} calls from 4 processes over ${window} ms (threshold ${THRESHOLD}, ${coolDowns} cool-downs)`);
    expect(calls).toBeGreaterThan(50); // the callers kept trying the whole time...
    expect(rejected).toBeGreaterThan(calls - 20); // ...and nearly all were refused without a request
    expect(requests).toBeGreaterThanOrEqual(THRESHOLD);
    // A healthy breaker lets calls through without writing (one read per call), so attempts that
    // were already in flight in the other processes when the first failure landed are not
    // stopped: at most one per other process. Every later attempt is charged up front.
    const inFlightSlack = 4 - 1;
    expect(requests, `requests=${requests} calls=${calls} window=${window}ms`).toBeLessThanOrEqual(THRESHOLD + coolDowns + inFlightSlack);
  }, 90_000);
});
