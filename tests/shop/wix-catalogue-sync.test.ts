/**
 * The Wix catalogue mirrored into the catalogue index: full sync by paging (V1 offsets, V3
 * cursors), incremental by updated date when older than CATALOGUE_SYNC_MINUTES, a daily full
 * sync that drops deleted products, one instance at a time, outages, and the cron step. Search
 * then answers from SQL in one round trip, with the same understanding as the demo shop.
 */
import { afterEach, describe, expect, it } from "vitest";
import { isUnavailable } from "../../lib/http/index.js";
import { cronJobs } from "../../lib/cron/jobs.js";
import { integrationDeps } from "../../lib/integrations/deps.js";
import { createWixShop, getWixClient, wixShopConfig } from "../../lib/integrations/wix/index.js";
import type { Services } from "../../lib/services.js";
import { syncCatalogue, type CatalogueInput } from "../../lib/shop/catalogue-sync.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { createPgDatabase, setDbNow, TEST_DATABASE_URL } from "../helpers/store.js";
import { FAST, V1_COLLECTIONS, V1_DISCOUNTED, V1_HIDDEN, V1_NO_MEDIA, V3_CATEGORIES, V3_DISCOUNTED, V3_NO_MEDIA, WIX_ENV, recorder, wixError } from "./wix-fixtures.js";

const server = useMsw();
/** The Wix shop as lib/shop builds it for these services. */
const shopOf = (s: Services) => createWixShop(wixShopConfig(s.config), integrationDeps(s), { client: getWixClient(s) });
const V1_QUERY = "/stores-reader/v1/products/query";
const V1_COLLECTIONS_PATH = "/stores-reader/v1/collections/query";
const V3_QUERY = "/stores/v3/products/query";
const V3_CATEGORIES_PATH = "/categories/v1/categories/query";

let services: Services | undefined;
afterEach(async () => {
  await services?.store.close();
  services = undefined;
});
async function wix(env: Record<string, string> = {}) {
  services = await createTestServices({ ...WIX_ENV, ...FAST, ...env });
  return services;
}
const db = () => (services!.store as PgliteStore).db;
const rows = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db().query<T>(sql, params)).rows;

/** 100 filler products (a full first page), then the fixtures on the second page. */
const filler = Array.from({ length: 100 }, (_, i) => ({
  ...V1_NO_MEDIA,
  id: `filler-${String(i).padStart(3, "0")}`,
  name: `Carnet ${i}`,
  slug: `carnet-${i}`,
  stock: { trackInventory: false, inStock: true, inventoryStatus: "IN_STOCK" },
  lastUpdated: "2026-11-01T08:00:00.000Z",
}));
type V1Body = { query: { filter?: string; paging: { limit: number; offset: number } }; includeVariants: boolean; includeHiddenProducts: boolean };

/** A V1 site: the query endpoint pages `products` by offset; a `lastUpdated` filter returns `updated`. */
function v1Site(products: unknown[], updated: unknown[] = []) {
  const rec = recorder();
  server.use(
    rec.on("post", V1_COLLECTIONS_PATH, () => V1_COLLECTIONS),
    rec.on("post", V1_QUERY, async (req) => {
      const body = (await req.json()) as V1Body;
      const filter = body.query.filter ? (JSON.parse(body.query.filter) as Record<string, unknown>) : {};
      const list = filter.lastUpdated ? updated : products;
      const { offset, limit } = body.query.paging;
      return { products: list.slice(offset, offset + limit), metadata: { items: limit, offset }, totalResults: list.length };
    }),
  );
  return rec;
}
const bodies = (rec: ReturnType<typeof recorder>) => rec.to(V1_QUERY).map((r) => r.body as V1Body);

describe("Wix Catalog V1 mirrored into the index", () => {
  it("mirrors every page on the first search, then answers from SQL in one round trip", async () => {
    const s = await wix();
    const rec = v1Site([...filler, V1_DISCOUNTED, V1_NO_MEDIA, V1_HIDDEN]);
    const shop = shopOf(s);

    const first = await shop.searchProducts({ query: "robe portefeuille" });
    expect(first[0]).toMatchObject({ id: V1_DISCOUNTED.id, price: "79.90", originalPrice: "99.00", url: "https://www.maison-lumiere.fr/product-page/robe-portefeuille-terracotta", collections: ["Robes"] });
    expect(bodies(rec).map((b) => b.query.paging)).toEqual([{ limit: 100, offset: 0 }, { limit: 100, offset: 100 }]);
    expect(bodies(rec).every((b) => b.includeVariants && b.includeHiddenProducts && b.query.filter === undefined)).toBe(true);
    expect(await rows("select count(*)::int as n from catalogue_products where source = 'wix'")).toEqual([{ n: 102 }]);
    expect(await rows("select 1 from catalogue_products where id = $1", [V1_HIDDEN.id])).toEqual([]);
    expect(await rows("select stock, in_stock from catalogue_products where id = $1", [V1_DISCOUNTED.id])).toEqual([{ stock: 5, in_stock: true }]);

    const calls = rec.seen.length;
    const before = s.store.roundTrips;
    // A misspelt word, and a word only the description holds (V1's own search reads names only).
    expect((await shop.searchProducts({ query: "terracota" }))[0]!.id).toBe(V1_DISCOUNTED.id);
    expect((await shop.searchProducts({ query: "ceinture à nouer" }))[0]!.id).toBe(V1_DISCOUNTED.id);
    expect((await shop.searchProducts({ query: "wrap dress under 80" })).map((p) => p.id)).toEqual([V1_DISCOUNTED.id]);
    expect(s.store.roundTrips - before).toBe(3);
    expect(rec.seen.length).toBe(calls);
  }, 120_000); // 102 products written and indexed in PGlite

  it("refreshes only what changed once the mirror is older than CATALOGUE_SYNC_MINUTES", async () => {
    const s = await wix({ CATALOGUE_SYNC_MINUTES: "60" });
    await setDbNow(s.store as PgliteStore, "2026-12-01T10:00:00Z");
    const changed = { ...V1_DISCOUNTED, priceData: { ...V1_DISCOUNTED.priceData, discountedPrice: 69.9 }, lastUpdated: "2026-12-01T10:30:00.000Z" };
    const rec = v1Site([V1_DISCOUNTED, V1_NO_MEDIA], [changed, { ...V1_NO_MEDIA, visible: false }]);
    const shop = shopOf(s);
    await shop.searchProducts({ query: "robe" });
    expect(rec.to(V1_QUERY)).toHaveLength(1);

    await setDbNow(s.store as PgliteStore, "2026-12-01T10:59:00Z");
    await shop.searchProducts({ query: "robe" });
    expect(rec.to(V1_QUERY)).toHaveLength(1); // fresh enough

    await setDbNow(s.store as PgliteStore, "2026-12-01T11:01:00Z");
    const found = await shop.searchProducts({ query: "robe" });
    const incremental = bodies(rec)[1]!;
    expect(JSON.parse(incremental.query.filter!)).toEqual({ lastUpdated: { $gt: "2026-11-20T10:00:00.000Z" } });
    expect(found.map((p) => [p.id, p.price])).toEqual([[V1_DISCOUNTED.id, "69.90"]]); // the hidden one is gone
    expect(await rows("select mode, synced_at = '2026-12-01T11:01:00Z'::timestamptz as now, high_water from catalogue_sync where source = 'wix'")).toEqual([
      { mode: "incremental", now: true, high_water: new Date("2026-12-01T10:30:00Z") },
    ]);
  });

  it("syncs everything again once a day and drops the products deleted in Wix", async () => {
    const s = await wix();
    await setDbNow(s.store as PgliteStore, "2026-12-01T10:00:00Z");
    let catalogue: unknown[] = [V1_DISCOUNTED, V1_NO_MEDIA];
    const rec = recorder();
    server.use(
      rec.on("post", V1_COLLECTIONS_PATH, () => V1_COLLECTIONS),
      rec.on("post", V1_QUERY, () => ({ products: catalogue, metadata: { items: 100, offset: 0 }, totalResults: catalogue.length })),
    );
    const shop = shopOf(s);
    expect((await shop.searchProducts({ query: "robe" })).length).toBe(2);

    catalogue = [V1_DISCOUNTED];
    await setDbNow(s.store as PgliteStore, "2026-12-02T10:30:00Z");
    expect((await shop.searchProducts({ query: "robe" })).map((p) => p.id)).toEqual([V1_DISCOUNTED.id]);
    expect((rec.to(V1_QUERY).at(-1)!.body as V1Body).query.filter).toBeUndefined();
    expect(await rows("select mode from catalogue_sync where source = 'wix'")).toEqual([{ mode: "full" }]);
  });

  it("keeps the index when a daily full sync sees no product at all", async () => {
    const s = await wix();
    await setDbNow(s.store as PgliteStore, "2026-12-01T10:00:00Z");
    let catalogue: unknown[] = [V1_DISCOUNTED, V1_NO_MEDIA];
    server.use(
      recorder().on("post", V1_COLLECTIONS_PATH, () => V1_COLLECTIONS),
      recorder().on("post", V1_QUERY, () => ({ products: catalogue, metadata: { items: 100, offset: 0 }, totalResults: catalogue.length })),
    );
    const shop = shopOf(s);
    await shop.searchProducts({ query: "robe" });
    catalogue = [];
    await setDbNow(s.store as PgliteStore, "2026-12-02T10:30:00Z");
    expect((await shop.searchProducts({ query: "robe" })).length).toBe(2);
    expect(await rows("select mode, products, synced_at = '2026-12-02T10:30:00Z'::timestamptz as synced from catalogue_sync where source = 'wix'")).toEqual([
      { mode: "full", products: 2, synced: true },
    ]);
  });

  it("falls back to every product when the site refuses the lastUpdated filter", async () => {
    const s = await wix();
    await setDbNow(s.store as PgliteStore, "2026-12-01T10:00:00Z");
    const rec = recorder();
    server.use(
      rec.on("post", V1_COLLECTIONS_PATH, () => V1_COLLECTIONS),
      rec.on("post", V1_QUERY, async (req) => {
        const body = (await req.json()) as V1Body;
        if (body.query.filter) return wixError(400, "INVALID_FILTER");
        return { products: [V1_DISCOUNTED], metadata: { items: 100, offset: 0 }, totalResults: 1 };
      }),
    );
    const shop = shopOf(s);
    await shop.searchProducts({ query: "robe" });
    await setDbNow(s.store as PgliteStore, "2026-12-01T11:30:00Z");
    expect((await shop.searchProducts({ query: "robe" })).map((p) => p.id)).toEqual([V1_DISCOUNTED.id]);
    expect(bodies(rec).map((b) => b.query.filter === undefined)).toEqual([true, false, true]);
    expect(await rows("select last_error from catalogue_sync where source = 'wix'")).toEqual([{ last_error: null }]);
  });
});

describe("outages and concurrency", () => {
  it("reports an outage before the first sync, releases the sync, and mirrors once Wix is back", async () => {
    const s = await wix();
    let down = true;
    server.use(
      recorder().on("post", V1_COLLECTIONS_PATH, () => V1_COLLECTIONS),
      recorder().on("post", V1_QUERY, () => (down ? wixError(503, "UNAVAILABLE") : { products: [V1_DISCOUNTED], totalResults: 1 })),
    );
    const shop = shopOf(s);
    const err = await shop.searchProducts({ query: "robe" }).catch((e: unknown) => e);
    expect(isUnavailable(err)).toBe(true);
    expect(await rows("select lease_until, last_error like '%503%' as failed, synced_at from catalogue_sync where source = 'wix'")).toEqual([
      { lease_until: null, failed: true, synced_at: null },
    ]);
    down = false;
    expect((await shop.searchProducts({ query: "robe" })).map((p) => p.id)).toEqual([V1_DISCOUNTED.id]);
  });

  it("answers from the last sync when a refresh fails", async () => {
    const s = await wix();
    await setDbNow(s.store as PgliteStore, "2026-12-01T10:00:00Z");
    let down = false;
    server.use(
      recorder().on("post", V1_COLLECTIONS_PATH, () => V1_COLLECTIONS),
      recorder().on("post", V1_QUERY, () => (down ? wixError(503, "UNAVAILABLE") : { products: [V1_DISCOUNTED], totalResults: 1 })),
    );
    const shop = shopOf(s);
    await shop.searchProducts({ query: "robe" });
    down = true;
    await setDbNow(s.store as PgliteStore, "2026-12-01T12:00:00Z");
    expect((await shop.searchProducts({ query: "robe" })).map((p) => p.id)).toEqual([V1_DISCOUNTED.id]);
  });

  it("asks Wix's own search while another instance fills an empty index", async () => {
    const s = await wix();
    const rec = v1Site([V1_DISCOUNTED]);
    await s.store.rpc("catalogue_sync_claim", { p_source: "wix", p_max_age_seconds: 0, p_full_every_seconds: 86400, p_lease_seconds: 300 });
    const found = await shopOf(s).searchProducts({ query: "robe" });
    expect(found.map((p) => p.id)).toEqual([V1_DISCOUNTED.id]);
    const [body] = bodies(rec);
    expect(JSON.parse(body!.query.filter!)).toMatchObject({ visible: true, name: { $contains: "robe" } }); // the live search, not a sync page
  });

  it("refuses to write a product id that belongs to the other source", async () => {
    const s = await wix();
    const input: CatalogueInput = {
      id: "ml-robe-lin-sable", slug: null, name: "Intrus", description: "", price: "1.00", compareAtPrice: null, currency: "EUR",
      inStock: true, stock: null, preorder: false, imageUrl: null, url: null, collections: [], options: [], vendorUpdatedAt: null,
    };
    await expect(s.store.rpc("catalogue_upsert_products", { p_source: "wix", p_products: [input] })).rejects.toThrow(/another source/);
    expect(await rows("select name from catalogue_products where id = 'ml-robe-lin-sable'")).toEqual([{ name: "Robe en lin Sable" }]);
  });

  it.skipIf(!TEST_DATABASE_URL)("lets exactly one of many instances run a sync at once (real PostgreSQL)", async () => {
    const pg = await createPgDatabase();
    try {
      let feeds = 0;
      const feed = async function* () {
        feeds++;
        await new Promise((r) => setTimeout(r, 200));
        yield { products: [], hidden: [] };
      };
      const reports = await Promise.all(Array.from({ length: 8 }, () => syncCatalogue(pg.store, "wix", () => feed(), { maxAgeSeconds: 3600 })));
      expect(reports.filter((r) => r.claimed)).toHaveLength(1);
      expect(feeds).toBe(1);
      const again = await syncCatalogue(pg.store, "wix", () => feed(), { maxAgeSeconds: 3600 });
      expect(again.claimed).toBe(false); // fresh now
    } finally {
      await pg.drop();
    }
  });
});

describe("Wix Catalog V3 mirrored into the index", () => {
  it("pages with cursors, reads category names, and searches French products with English words", async () => {
    const s = await wix({ WIX_CATALOG_VERSION: "3" });
    const rec = recorder();
    const withCategories = { ...V3_DISCOUNTED, allCategoriesInfo: { categories: [{ id: "cat-all" }, { id: "cat-bougies" }] }, updatedDate: "2026-11-28T09:00:00.000Z" };
    server.use(
      rec.on("post", V3_CATEGORIES_PATH, () => V3_CATEGORIES),
      rec.on("post", V3_QUERY, (_req, n) =>
        n === 1
          ? { products: [withCategories], pagingMetadata: { count: 1, cursors: { next: "cursor-2" }, hasNext: true } }
          : { products: [V3_NO_MEDIA, { ...V3_NO_MEDIA, id: "hidden-v3", visible: false }], pagingMetadata: { count: 2, cursors: { next: null }, hasNext: false } },
      ),
    );
    const shop = shopOf(s);
    const found = await shop.searchProducts({ query: "scented candle with fig" });
    expect(found[0]).toMatchObject({ id: V3_DISCOUNTED.id, price: "19.90", collections: ["Bougies"] });
    const fields = ["URL", "CURRENCY", "PLAIN_DESCRIPTION", "THUMBNAIL", "ALL_CATEGORIES_INFO"];
    expect(rec.to(V3_QUERY).map((r) => r.body)).toEqual([
      { query: { cursorPaging: { limit: 100 } }, fields },
      { query: { cursorPaging: { limit: 100, cursor: "cursor-2" } }, fields },
    ]);
    expect((await shop.searchProducts({ query: "gift card" })).map((p) => p.id)).toEqual([V3_NO_MEDIA.id]);
    expect(await rows("select id from catalogue_products where source = 'wix' order by id")).toEqual([{ id: V3_NO_MEDIA.id }, { id: V3_DISCOUNTED.id }].sort((a, b) => (a.id < b.id ? -1 : 1)));
  });

  it("asks only for products updated after the high-water mark on an incremental sync", async () => {
    const s = await wix({ WIX_CATALOG_VERSION: "3" });
    await setDbNow(s.store as PgliteStore, "2026-12-01T10:00:00Z");
    const rec = recorder();
    server.use(
      rec.on("post", V3_CATEGORIES_PATH, () => V3_CATEGORIES),
      rec.on("post", V3_QUERY, () => ({ products: [{ ...V3_DISCOUNTED, updatedDate: "2026-11-28T09:00:00.000Z" }], pagingMetadata: { hasNext: false } })),
    );
    const shop = shopOf(s);
    await shop.searchProducts({ query: "bougie" });
    await setDbNow(s.store as PgliteStore, "2026-12-01T11:30:00Z");
    await shop.searchProducts({ query: "bougie" });
    expect((rec.to(V3_QUERY)[1]!.body as { query: { filter: unknown } }).query.filter).toEqual({ updatedDate: { $gt: "2026-11-28T09:00:00.000Z" } });
  });
});

describe("the cron step", () => {
  const job = cronJobs.find((j) => j.name === "catalogue_sync")!;

  it("mirrors the Wix catalogue when it is due, and reports its counts", async () => {
    const s = await wix();
    v1Site([...filler, V1_DISCOUNTED]);
    expect(await job.run(s)).toEqual({ full: 1, pages: 2, upserted: 101, removed: 0, products: 101 });
    expect(await job.run(s)).toEqual({ skipped: 1 }); // fresh
  }, 120_000);

  it("has nothing to do for the demo shop", async () => {
    services = await createTestServices();
    expect(await job.run(services)).toEqual({ skipped: 1 });
  });
});
