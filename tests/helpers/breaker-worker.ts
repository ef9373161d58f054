/**
 * A separate Node process for the shared-breaker test: calls an always-failing upstream through
 * lib/http for DURATION_MS against DATABASE_URL, then prints what it saw as one JSON line.
 */
import { createHttpClient, BreakerOpenError } from "../../lib/http/index.js";
import { loadConfig } from "../../lib/config.js";
import { createLogger } from "../../lib/log.js";
import { createPostgresStore } from "../../lib/store/postgres.js";

const env = process.env;
const store = await createPostgresStore({ url: env.DATABASE_URL!, prepare: true, max: 2 });
const breakers = { ...loadConfig({}).breakers, wix: { threshold: Number(env.THRESHOLD), openMs: Number(env.OPEN_MS) } };
const client = createHttpClient(
  { store, log: createLogger("silent"), breakers },
  { service: "wix", baseUrl: env.UPSTREAM_URL!, timeoutMs: 1000, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 } },
);
const until = Date.now() + Number(env.DURATION_MS);
let calls = 0;
let rejected = 0;
while (Date.now() < until) {
  calls++;
  try {
    await client.json({ path: "/always-down", deadline: Date.now() + 2000 });
  } catch (err) {
    if (err instanceof BreakerOpenError) rejected++;
  }
  await new Promise((r) => setTimeout(r, 5));
}
await store.close();
console.log(JSON.stringify({ calls, rejected }));
