/** The demo shop on a real PostgreSQL server (TEST_DATABASE_URL; .ci/run starts one): no unaccent, races. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../lib/config.js";
import { createDemoShop } from "../../lib/shop/index.js";
import { createServices } from "../../lib/services.js";
import type { Shop } from "../../lib/shop/types.js";
import { BASE_ENV } from "../helpers/services.js";
import { createPgDatabase, TEST_DATABASE_URL } from "../helpers/store.js";

describe.runIf(TEST_DATABASE_URL)("demo shop on real PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let shop: Shop;
  beforeAll(async () => {
    db = await createPgDatabase();
    shop = createDemoShop(await createServices(loadConfig({ ...BASE_ENV }), db.store));
  });
  afterAll(() => db?.drop());

  it("searches in French with accents folded, without the unaccent extension", async () => {
    const ids = async (q: string) => (await shop.searchProducts({ query: q })).map((p) => p.id);
    expect(await ids("robe")).toHaveLength(5);
    expect(await ids("chaussures")).toEqual(await ids("chaussure"));
    expect(await ids("ÉCHARPE")).toEqual(await ids("echarpe"));
    expect(await ids("velours")).toEqual([]);
  });

  it("20 parallel upserts of one new e-mail: one created, the rest updated, one row", async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => shop.upsertContact({ email: "race@example.fr", name: `Client ${i}` })));
    expect(results.filter((r) => r.action === "created")).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
  });

  it("20 parallel coupons get 20 distinct codes", async () => {
    const coupons = await Promise.all(Array.from({ length: 20 }, () => shop.createCoupon({ type: "PERCENTAGE", value: 10, expiryDays: 7 })));
    expect(new Set(coupons.map((c) => c.code)).size).toBe(20);
  });
});
