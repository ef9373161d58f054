/** Concurrency on a real PostgreSQL server (TEST_DATABASE_URL; .ci/run starts one). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dedupClaim, rateLimitHit } from "../../lib/store/queries.js";
import { createPgDatabase, TEST_DATABASE_URL } from "../helpers/store.js";

describe.runIf(TEST_DATABASE_URL)("store on real PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  beforeAll(async () => {
    db = await createPgDatabase();
  });
  afterAll(() => db?.drop());

  it("migrations are recorded and a second run applies nothing", async () => {
    expect(await db.store.migrate()).toMatchObject({ applied: [] });
  });

  it("50 connections claiming one key at once: exactly one true", async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => dedupClaim(db.store, "wamid.same", 3600)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("50 parallel hits with limit 10: exactly 10 allowed", async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => rateLimitHit(db.store, "ip:203.0.113.9", 10, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });
});
