import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HttpResponse } from "msw";
import { BreakerOpenError, UpstreamError, isUnavailable } from "../../lib/http/index.js";
import { integrationDeps } from "../../lib/integrations/deps.js";
import { createWixCatalog, getWixClient } from "../../lib/integrations/wix/index.js";
import type { Services } from "../../lib/services.js";
import { getShop } from "../../lib/shop/index.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { createTestStore } from "../helpers/store.js";
import {
  FAST, V1_COLLECTIONS, V1_DISCOUNTED, V1_HIDDEN, V1_NO_MEDIA, V3_CATEGORIES, V3_DISCOUNTED, V3_NO_MEDIA, WIX_ENV,
  recorder, v1Page, v3Page, wixError, wixShop,
} from "./wix-fixtures.js";

const server = useMsw();
let store: PgliteStore;
const V1_QUERY = "/stores-reader/v1/products/query";
const V3_SEARCH = "/stores/v3/products/search";

beforeAll(async () => {
  store = await createTestStore();
});
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  await store.db.exec("delete from public.app_cache; delete from public.app_breaker;");
});

const services = (env: Record<string, string> = {}) => createTestServices({ ...WIX_ENV, ...FAST, ...env }, store);
/**
 * Wix's own search API (lib/integrations/wix/catalog.ts): the shop searches the mirrored
 * catalogue (tests/shop/wix-catalogue-sync.test.ts) and asks Wix directly only while another
 * instance fills an empty index; products are still read fresh from Wix by id.
 */
const liveCatalog = (s: Services) => createWixCatalog(integrationDeps(s), getWixClient(s), { currency: s.config.stripe.currency.toUpperCase() });

describe("Wix catalogue, Catalog V1", () => {
  it("maps a discounted product, a product without media and drops a hidden one", async () => {
    const rec = recorder();
    server.use(rec.on("post", V1_QUERY, () => v1Page([V1_DISCOUNTED, V1_NO_MEDIA, V1_HIDDEN])));
    const shop = liveCatalog(await services());

    const products = await shop.searchProducts({ query: "robe" });

    expect(products).toEqual([
      {
        id: V1_DISCOUNTED.id,
        name: "Robe portefeuille Terracotta",
        price: "79.90",
        originalPrice: "99.00",
        currency: "EUR",
        imageUrl: "https://static.wixstatic.com/media/2c1d7e_robe~mv2.jpg",
        description:
          "Robe portefeuille en viscose & lin, manches courtes et ceinture à nouer. C'est la pièce de l’été : légère, fluide, elle se porte du matin au soir…",
        inStock: true,
        url: "https://www.maison-lumiere.fr/product-page/robe-portefeuille-terracotta",
        visible: true,
      },
      {
        id: V1_NO_MEDIA.id,
        name: "Robe pull en maille Marine",
        price: "24.90",
        originalPrice: null,
        currency: "EUR",
        imageUrl: null,
        description: "Robe pull en maille côtelée.",
        inStock: false,
        url: "https://www.maison-lumiere.fr/product-page/robe-pull-marine",
        visible: true,
      },
    ]);
    expect(products[0]!.description.length).toBeLessThanOrEqual(150);
  });

  it("sends the V1 query with JSON-string filter, the API key as is and the site id only", async () => {
    const rec = recorder();
    server.use(rec.on("post", V1_QUERY, () => v1Page([])));
    await liveCatalog(await services()).searchProducts({ query: "  Robe   LIN ", limit: 50 });

    const [req] = rec.to(V1_QUERY);
    expect(req!.headers.get("authorization")).toBe(WIX_ENV.WIX_API_KEY);
    expect(req!.headers.get("wix-site-id")).toBe(WIX_ENV.WIX_SITE_ID);
    expect(req!.headers.has("wix-account-id")).toBe(false);
    const body = req!.body as { query: { filter: unknown; paging: unknown }; includeHiddenProducts: boolean };
    expect(typeof body.query.filter).toBe("string");
    expect(JSON.parse(body.query.filter as string)).toEqual({ visible: true, $and: [{ name: { $contains: "robe" } }, { name: { $contains: "lin" } }] });
    expect(body.query.paging).toEqual({ limit: 8, offset: 0 }); // limit capped at 8
    expect(body.includeHiddenProducts).toBe(false);
  });

  it("puts the collection of the asked category in the request filter", async () => {
    const rec = recorder();
    server.use(
      rec.on("post", "/stores-reader/v1/collections/query", () => V1_COLLECTIONS),
      rec.on("post", V1_QUERY, () => v1Page([V1_DISCOUNTED])),
    );
    const shop = liveCatalog(await services());
    await shop.searchProducts({ query: "portefeuille", category: "robe" });
    await shop.searchProducts({ query: "soie", category: "Foulards" });

    const filters = rec.to(V1_QUERY).map((r) => JSON.parse((r.body as { query: { filter: string } }).query.filter));
    expect(filters).toEqual([
      { visible: true, name: { $contains: "portefeuille" }, "collections.id": { $hasSome: ["a1b2c3d4-robes"] } },
      { visible: true, name: { $contains: "soie" }, "collections.id": { $hasSome: ["b2c3d4e5-foulards"] } },
    ]);
    expect(rec.to("/stores-reader/v1/collections/query")).toHaveLength(1); // the list is cached
  });

  it("answers a repeated search from the cache, whatever its spacing and case", async () => {
    const rec = recorder();
    server.use(rec.on("post", V1_QUERY, () => v1Page([V1_DISCOUNTED])));
    const shop = liveCatalog(await services());

    const first = await shop.searchProducts({ query: "Robe portefeuille" });
    const second = await shop.searchProducts({ query: "  robe   PORTEFEUILLE " });

    expect(second).toEqual(first);
    expect(rec.to(V1_QUERY)).toHaveLength(1);
    const rows = await store.db.query<{ key: string }>("select key from public.app_cache where key like 'wix:%'");
    expect(rows.rows.map((r) => r.key)).toEqual(["wix:v1:search:robe portefeuille||8"]);
  });

  it("asks Wix again once the 2-minute cache entry has expired", async () => {
    const rec = recorder();
    server.use(rec.on("post", V1_QUERY, () => v1Page([V1_DISCOUNTED])));
    const shop = liveCatalog(await services());
    await shop.searchProducts({ query: "robe" });
    await store.db.exec("update public.app_cache set expires_at = now() - interval '1 second'");
    await shop.searchProducts({ query: "robe" });
    expect(rec.to(V1_QUERY)).toHaveLength(2);
  });

  it("retries a 503 on the query endpoint (a read, marked idempotent) and succeeds", async () => {
    const rec = recorder();
    server.use(rec.on("post", V1_QUERY, (_req, n) => (n < 3 ? wixError(503, "UNAVAILABLE") : v1Page([V1_DISCOUNTED]))));
    const products = await liveCatalog(await services({ WIX_RETRY_ATTEMPTS: "2" })).searchProducts({ query: "robe" });
    expect(products.map((p) => p.id)).toEqual([V1_DISCOUNTED.id]);
    expect(rec.to(V1_QUERY)).toHaveLength(3);
  });

  it("turns an outage into a typed error, counts it on the breaker, then stops calling", async () => {
    const rec = recorder();
    server.use(rec.on("post", V1_QUERY, () => wixError(503, "SERVICE_UNAVAILABLE")));
    const shop = liveCatalog(await services({ WIX_CB_FAILURE_THRESHOLD: "3", WIX_CB_OPEN_MS: "60000" }));

    for (const q of ["robe", "bougie", "sac"]) {
      const err = await shop.searchProducts({ query: q }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamError);
      expect((err as UpstreamError).status).toBe(503);
      expect(isUnavailable(err)).toBe(true);
    }
    const row = await store.db.query<{ state: string; failures: number }>("select state, failures from public.app_breaker where name = 'wix'");
    expect(row.rows).toEqual([{ state: "open", failures: 3 }]);

    await expect(shop.searchProducts({ query: "chaussure" })).rejects.toBeInstanceOf(BreakerOpenError);
    expect(rec.to(V1_QUERY)).toHaveLength(3); // no request while open
    expect(await store.db.query("select 1 from public.app_cache where key like 'wix:%'").then((r) => r.rows)).toEqual([]); // failures are not cached
  });

  it("does not count a 400 against the breaker, and still throws it", async () => {
    server.use(recorder().on("post", V1_QUERY, () => wixError(400, "INVALID_FILTER")));
    const shop = liveCatalog(await services());
    const err = await shop.searchProducts({ query: "robe" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).code).toBe("INVALID_FILTER");
    expect(isUnavailable(err)).toBe(false);
    expect((await store.db.query("select * from public.app_breaker where name = 'wix'")).rows).toEqual([]);
  });

  it("gets a product by id, null when Wix says 404 or the product is hidden", async () => {
    const rec = recorder();
    server.use(
      rec.on("get", `/stores-reader/v1/products/${V1_DISCOUNTED.id}`, () => ({ product: V1_DISCOUNTED })),
      rec.on("get", "/stores-reader/v1/products/hidden-0000", () => ({ product: V1_HIDDEN })),
      rec.on("get", "/stores-reader/v1/products/nope", () => wixError(404, "PRODUCT_NOT_FOUND")),
    );
    const shop = wixShop(await services());
    expect((await shop.getProduct(V1_DISCOUNTED.id))?.price).toBe("79.90");
    expect(await shop.getProduct("hidden-0000")).toBeNull();
    expect(await shop.getProduct("nope")).toBeNull();
  });

  it("throws on a product lookup during an outage instead of answering null", async () => {
    server.use(recorder().on("get", "/stores-reader/v1/products/p1", () => new HttpResponse("upstream reset", { status: 502 })));
    await expect(wixShop(await services()).getProduct("p1")).rejects.toBeInstanceOf(UpstreamError);
  });
});

describe("Wix catalogue, Catalog V3", () => {
  it("searches with the V3 body and maps amounts, stock, media and page URLs", async () => {
    const rec = recorder();
    server.use(rec.on("post", V3_SEARCH, () => v3Page([V3_DISCOUNTED, V3_NO_MEDIA])));
    const shop = liveCatalog(await services({ WIX_CATALOG_VERSION: "3" }));

    const products = await shop.searchProducts({ query: "Bougie", limit: 3 });

    expect(rec.to(V3_SEARCH)[0]!.body).toEqual({
      search: { filter: { visible: true }, search: { expression: "bougie" }, cursorPaging: { limit: 3 } },
      fields: ["URL", "CURRENCY", "PLAIN_DESCRIPTION", "THUMBNAIL"],
    });
    expect(products).toEqual([
      {
        id: V3_DISCOUNTED.id,
        name: "Bougie Figue noire",
        price: "19.90",
        originalPrice: "24.90",
        currency: "EUR",
        imageUrl: "https://static.wixstatic.com/media/2c1d7e_bougie~mv2.jpg",
        description: "Cire végétale & mèche coton.",
        inStock: true,
        url: "https://www.maison-lumiere.fr/product-page/bougie-figue-noire",
        visible: true,
        // Wix sent its single variant: kept with its id (V3 checkout lines need it), no options.
        options: [],
        variants: [{ id: "v1", choices: {}, price: "19.90", originalPrice: "24.90", sku: "BFN-1", inStock: true, stock: null, visible: true }],
      },
      {
        id: V3_NO_MEDIA.id,
        name: "Carte cadeau",
        price: "50.00",
        originalPrice: null,
        currency: "EUR",
        imageUrl: null,
        description: "",
        inStock: false,
        url: "https://www.maison-lumiere.fr/product-page/carte-cadeau",
        visible: true,
      },
    ]);
  });

  it("filters on the category id with $matchItems", async () => {
    const rec = recorder();
    server.use(
      rec.on("post", "/categories/v1/categories/query", () => V3_CATEGORIES),
      rec.on("post", V3_SEARCH, () => v3Page([V3_DISCOUNTED])),
    );
    await liveCatalog(await services({ WIX_CATALOG_VERSION: "3" })).searchProducts({ query: "figue", category: "Bougie" });

    expect(rec.to("/categories/v1/categories/query")[0]!.body).toEqual({
      query: { cursorPaging: { limit: 100 } },
      treeReference: { appNamespace: "@wix/stores" },
    });
    expect((rec.to(V3_SEARCH)[0]!.body as { search: { filter: unknown } }).search.filter).toEqual({
      visible: true,
      "allCategoriesInfo.categories": { $matchItems: [{ id: { $in: ["cat-bougies"] } }] },
    });
  });

  it("searches the words of an unknown category instead of ignoring it", async () => {
    const rec = recorder();
    server.use(
      rec.on("post", "/categories/v1/categories/query", () => V3_CATEGORIES),
      rec.on("post", V3_SEARCH, () => v3Page([])),
    );
    expect(await liveCatalog(await services({ WIX_CATALOG_VERSION: "3" })).searchProducts({ query: "", category: "Chapeaux" })).toEqual([]);
    expect(rec.to(V3_SEARCH)[0]!.body).toMatchObject({ search: { filter: { visible: true }, search: { expression: "chapeaux" } } });
  });

  it("gets one product through Get Product, with the variants' option names asked for, and ignores a hidden one", async () => {
    const rec = recorder();
    const path = `/stores/v3/products/${V3_DISCOUNTED.id}`;
    server.use(rec.on("get", path, (_r, n) => ({ product: n === 1 ? V3_DISCOUNTED : { ...V3_DISCOUNTED, visible: false } })));
    const shop = wixShop(await services({ WIX_CATALOG_VERSION: "3" }));
    expect((await shop.getProduct(V3_DISCOUNTED.id))?.originalPrice).toBe("24.90");
    expect(await shop.getProduct(V3_DISCOUNTED.id)).toBeNull();
    expect(new URLSearchParams(rec.to(path)[0]!.search).getAll("fields")).toEqual(["URL", "CURRENCY", "PLAIN_DESCRIPTION", "THUMBNAIL", "VARIANT_OPTION_CHOICE_NAMES"]);
  });

  it("reports a malformed answer as an upstream failure, not as no products", async () => {
    server.use(recorder().on("post", V3_SEARCH, () => ({ products: "nope" })));
    const err = await liveCatalog(await services({ WIX_CATALOG_VERSION: "3" })).searchProducts({ query: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect((err as UpstreamError).kind).toBe("invalid_response");
  });
});

describe("Wix client and shop choice", () => {
  it("sends wix-account-id (and no site id) on an account-level call", async () => {
    const rec = recorder();
    server.use(rec.on("get", "/site-list/v2/sites", () => ({ sites: [] })));
    const client = getWixClient(await services({ WIX_ACCOUNT_ID: "acc-42" }));
    await client.account({ path: "/site-list/v2/sites", headers: { "wix-site-id": "should-go" } });
    const [req] = rec.seen;
    expect(req!.headers.get("wix-account-id")).toBe("acc-42");
    expect(req!.headers.has("wix-site-id")).toBe(false);
    expect(req!.headers.get("authorization")).toBe(WIX_ENV.WIX_API_KEY);
  });

  it("serves the Wix shop when WIX_API_KEY is set, the demo shop otherwise, once per services", async () => {
    const wix = await services();
    expect(getShop(wix).kind).toBe("wix");
    expect(getShop(wix)).toBe(getShop(wix));
    const demo = await createTestServices({}, store);
    expect(getShop(demo).kind).toBe("demo");
  });
});
