/**
 * Catalogue lookups for checkout and quotes: each distinct id fetched once per call with
 * `getProduct` (a few at a time), and, for Wix, kept 60 s in the shared cache so a double click
 * or a busy minute does not call Wix again. Not cached: unknown ids (they may appear).
 */
import { getShop, type Product } from "../shop/index.js";
import { cacheGet, cachePut } from "../store/queries.js";
import type { Services } from "../services.js";

const CACHE_TTL_SECONDS = 60;
const PARALLEL = 5;

export async function loadProducts(services: Services, ids: readonly string[]): Promise<Map<string, Product | null>> {
  const shop = getShop(services);
  const distinct = [...new Set(ids)];
  const out = new Map<string, Product | null>();
  const useCache = shop.kind === "wix";

  const one = async (id: string): Promise<void> => {
    const key = `checkout:product:${shop.kind}:${id}`;
    if (useCache) {
      const hit = await cacheGet<Product>(services.store, key).catch(() => null);
      if (hit) {
        out.set(id, hit);
        return;
      }
    }
    const product = await shop.getProduct(id);
    out.set(id, product);
    if (useCache && product) {
      await cachePut(services.store, key, product, CACHE_TTL_SECONDS).catch((err: Error) =>
        services.log.warn("checkout product cache write failed", { error: err.message }),
      );
    }
  };

  for (let i = 0; i < distinct.length; i += PARALLEL) {
    await Promise.all(distinct.slice(i, i + PARALLEL).map(one));
  }
  return out;
}
