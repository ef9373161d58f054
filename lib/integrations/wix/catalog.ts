/**
 * Wix catalogue: searchProducts and getProduct over Catalog V1 (default) or V3
 * (WIX_CATALOG_VERSION=3), normalised to Product. Searches are cached 2 minutes in app_cache
 * under a normalised key; an outage throws (UpstreamError / BreakerOpenError), never [].
 */
import { UpstreamError } from "../../http/index.js";
import type { IntegrationDeps } from "../deps.js";
import { cacheGet, cachePut } from "../../store/queries.js";
import { normaliseSearchText } from "../../shop/text.js";
import type { Product, ProductSearch } from "../../shop/types.js";
import { cachedGroups, matchGroup } from "./categories.js";
import {
  V1CollectionsResponse, V1GetResponse, V1QueryResponse, V1_COLLECTIONS_QUERY, V1_PRODUCTS_QUERY,
  mapV1Product, v1CollectionsBody, v1ProductPath, v1SearchBody,
} from "./catalog-v1.js";
import {
  V3CategoriesResponse, V3GetResponse, V3ProductsResponse, V3_CATEGORIES_QUERY, V3_PRODUCTS_SEARCH,
  mapV3Product, v3CategoriesBody, v3ProductPath, v3SearchBody,
} from "./catalog-v3.js";
import { invalidWixResponse, isWixId, type WixClient } from "./client.js";

export const SEARCH_CACHE_TTL_SECONDS = 120;
export const MAX_SEARCH_LIMIT = 8;
export const DEFAULT_SEARCH_LIMIT = 8;

export interface WixCatalog {
  searchProducts(search: ProductSearch): Promise<Product[]>;
  getProduct(id: string): Promise<Product | null>;
}

/** Clamps a requested limit to 1..8. */
export function searchLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_SEARCH_LIMIT;
  return Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.trunc(limit)));
}

/** The cache key of a search: version, normalised query and category, limit. */
export function searchCacheKey(version: 1 | 3, s: { query: string; category?: string }, limit: number): string {
  return `wix:v${version}:search:${normaliseSearchText(s.query)}|${normaliseSearchText(s.category)}|${limit}`;
}

/** The catalogue over a Wix client; `currency` is the shop's (Wix V1 may omit it). */
export function createWixCatalog(deps: Pick<IntegrationDeps, "store" | "log">, client: WixClient, opts: { currency: string }): WixCatalog {
  const { store, log } = deps;
  const version = client.config.catalogVersion;
  const fallbackCurrency = opts.currency.toUpperCase();

  const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, what: string, data: unknown): T => {
    const r = schema.safeParse(data);
    if (!r.success) throw invalidWixResponse(what, r.error.message);
    return r.data;
  };

  const hint428 = (err: unknown) => {
    if (err instanceof UpstreamError && err.status === 428) {
      log.warn("wix answered 428: the site's catalog version differs from WIX_CATALOG_VERSION (GET /stores/v3/provision/version tells which)", { catalogVersion: version });
    }
    throw err;
  };

  const groups = () =>
    cachedGroups({ store, log }, `wix:v${version}:categories`, async () => {
      if (version === 3) {
        const data = await client.site({ method: "POST", path: V3_CATEGORIES_QUERY, json: v3CategoriesBody(), idempotent: true });
        return parse(V3CategoriesResponse, "categories query", data).categories;
      }
      const data = await client.site({ method: "POST", path: V1_COLLECTIONS_QUERY, json: v1CollectionsBody(), idempotent: true });
      return parse(V1CollectionsResponse, "collections query", data).collections;
    });

  async function fetchSearch(query: string, category: string, limit: number): Promise<Product[]> {
    let text = query;
    let groupId: string | undefined;
    if (category) {
      groupId = matchGroup(await groups(), category) ?? undefined;
      if (!groupId) text = `${text} ${category}`.trim(); // no such collection: search its words instead
    }
    const map = version === 3 ? mapV3Product : mapV1Product;
    let raw: unknown[];
    if (version === 3) {
      const data = await client.site({ method: "POST", path: V3_PRODUCTS_SEARCH, json: v3SearchBody({ text, categoryId: groupId, limit }), idempotent: true });
      raw = parse(V3ProductsResponse, "products search", data).products;
    } else {
      const words = text.split(" ").filter(Boolean).slice(0, 4);
      const data = await client.site({ method: "POST", path: V1_PRODUCTS_QUERY, json: v1SearchBody({ words, collectionId: groupId, limit }), idempotent: true });
      raw = parse(V1QueryResponse, "products query", data).products;
    }
    return raw.map((p) => map(p, fallbackCurrency)).filter((p): p is Product => p !== null).slice(0, limit);
  }

  return {
    async searchProducts(search) {
      const query = normaliseSearchText(search.query);
      const category = normaliseSearchText(search.category);
      const limit = searchLimit(search.limit);
      const key = searchCacheKey(version, { query, category }, limit);
      try {
        const hit = await cacheGet<Product[]>(store, key);
        if (hit) return hit;
      } catch (err) {
        log.warn("product cache unavailable, asking Wix", { error: (err as Error).message });
      }
      const products = await fetchSearch(query, category, limit).catch(hint428);
      await cachePut(store, key, products, SEARCH_CACHE_TTL_SECONDS).catch((err: Error) =>
        log.warn("product cache write failed", { error: err.message }),
      );
      return products;
    },

    async getProduct(id) {
      if (!isWixId(id)) return null; // never a request for "." or ".." (they would rewrite the path)
      try {
        if (version === 3) {
          // Get Product: the only V3 read that carries the variants (search and query leave them out).
          const data = await client.site({ method: "GET", path: v3ProductPath(id) });
          const product = mapV3Product(parse(V3GetResponse, "product get", data).product, fallbackCurrency);
          return product && product.id === id ? product : null;
        }
        const data = await client.site({ method: "GET", path: v1ProductPath(id) });
        return mapV1Product(parse(V1GetResponse, "product get", data).product, fallbackCurrency);
      } catch (err) {
        if (err instanceof UpstreamError && err.status === 404) return null;
        return hint428(err);
      }
    },
  };
}
