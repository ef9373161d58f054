/** What the shared breaker costs per outside call when closed, and what it saves when open. */
import { loadConfig } from "../../lib/config.js";
import { BreakerOpenError, createHttpClient } from "../../lib/http/index.js";
import { createLogger } from "../../lib/log.js";
import { createPostgresStore } from "../../lib/store/postgres.js";
import type { Doubles } from "./doubles.js";

export interface BreakerResult { calls: number; rawMedianMs: number; closedMedianMs: number; closedRoundTrips: number; openMedianMs: number; openUpstreamRequests: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function measureBreaker(env: Record<string, string>, doubles: Doubles, calls = 300): Promise<BreakerResult> {
  const config = loadConfig(env);
  if (config.store.kind !== "postgres") throw new Error("needs DATABASE_URL");
  const store = await createPostgresStore({ ...config.store, max: 2 });
  const breakers = { ...config.breakers, drive: { threshold: 1, openMs: 600_000 } };
  const client = createHttpClient(
    { store, log: createLogger("silent"), breakers },
    { service: "drive", baseUrl: doubles.url, timeoutMs: 2000, retry: { attempts: 0, baseDelayMs: 1, maxDelayMs: 1 } },
  );
  await store.rpc("breaker_report", { p_name: "drive", p_success: true, p_threshold: 1, p_open_ms: 1, p_charged: true });
  const time = async (fn: () => Promise<unknown>) => {
    const out: number[] = [];
    for (let i = 0; i < calls; i++) {
      const t = performance.now();
      await fn().catch((e) => {
        if (!(e instanceof BreakerOpenError)) throw e;
      });
      out.push(performance.now() - t);
    }
    return out;
  };
  const raw = await time(async () => (await fetch(`${doubles.url}/bench/ping`)).json());
  const rtBefore = store.roundTrips;
  const closed = await time(() => client.json({ path: "/bench/ping" }));
  const closedRoundTrips = (store.roundTrips - rtBefore) / calls;
  await store.rpc("breaker_report", { p_name: "drive", p_success: false, p_threshold: 1, p_open_ms: 600_000 });
  const before = doubles.counts["GET /bench/ping"] ?? 0;
  const open = await time(() => client.json({ path: "/bench/ping" }));
  const openUpstreamRequests = (doubles.counts["GET /bench/ping"] ?? 0) - before;
  await store.close();
  return { calls, rawMedianMs: median(raw), closedMedianMs: median(closed), closedRoundTrips, openMedianMs: median(open), openUpstreamRequests };
}
