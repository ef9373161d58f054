/**
 * The Wix catalogue, page by page, as catalogue-index records (lib/shop/catalogue-sync.ts):
 * Catalog V1 `POST /stores-reader/v1/products/query` (offset paging, 100 a page, variants
 * included, hidden products too so an incremental sync can drop them) or V3
 * `POST /stores/v3/products/query` (cursor paging). Incremental pages ask only for products
 * updated after the high-water mark (V1 `lastUpdated`, V3 `updatedDate`). Products are mapped by
 * the exported V1/V3 mappers; this file adds what the index needs beyond a Product: slug, the
 * full plain description, collection names, stock count and the vendor's update date.
 */
import * as z from "zod/mini";
import { UpstreamError } from "../../http/index.js";
import type { Logger } from "../../log.js";
import type { CatalogueFeed, CatalogueInput, CataloguePage, SyncMode } from "../../shop/catalogue-sync.js";
import { plainText } from "../../shop/text.js";
import type { Product } from "../../shop/types.js";
import type { Store } from "../../store/store.js";
import { cachedGroups, type NamedGroup } from "./categories.js";
import { V1CollectionsResponse, V1QueryResponse, V1_COLLECTIONS_QUERY, V1_PRODUCTS_QUERY, mapV1Product, v1CollectionsBody } from "./catalog-v1.js";
import { V3CategoriesResponse, V3ProductsResponse, V3_CATEGORIES_QUERY, V3_FIELDS, V3_PRODUCTS_QUERY, mapV3Product, v3CategoriesBody } from "./catalog-v3.js";
import { invalidWixResponse, type WixClient } from "./client.js";

export const PAGE_SIZE = 100;
/** V1 query endpoints serve at most 10,000 items by offset. */
export const V1_MAX_OFFSET = 10_000;

const V1Raw = z.looseObject({
  id: z.string(),
  visible: z.nullish(z.boolean()),
  slug: z.nullish(z.string()),
  description: z.nullish(z.string()),
  collectionIds: z.nullish(z.array(z.string())),
  stock: z.nullish(z.looseObject({ trackInventory: z.nullish(z.boolean()), quantity: z.nullish(z.number()) })),
  lastUpdated: z.nullish(z.string()),
});

const V3Raw = z.looseObject({
  id: z.string(),
  visible: z.nullish(z.boolean()),
  slug: z.nullish(z.string()),
  plainDescription: z.nullish(z.string()),
  allCategoriesInfo: z.nullish(z.looseObject({ categories: z.nullish(z.array(z.looseObject({ id: z.string() }))) })),
  directCategoriesInfo: z.nullish(z.looseObject({ categories: z.nullish(z.array(z.looseObject({ id: z.string() }))) })),
  updatedDate: z.nullish(z.string()),
});

const V3Paging = z.looseObject({
  pagingMetadata: z.nullish(z.looseObject({ hasNext: z.nullish(z.boolean()), cursors: z.nullish(z.looseObject({ next: z.nullish(z.string()) })) })),
});

/** Body of one V1 page: every product (hidden too), by offset, optionally updated after `since`. */
export function v1PageBody(opts: { offset: number; since: string | null }) {
  return {
    query: {
      ...(opts.since ? { filter: JSON.stringify({ lastUpdated: { $gt: opts.since } }) } : {}),
      paging: { limit: PAGE_SIZE, offset: opts.offset },
    },
    includeVariants: true,
    includeHiddenProducts: true,
  };
}

/** Body of one V3 page: the first carries the filter; the next ones only the cursor. */
export function v3PageBody(opts: { cursor: string | null; since: string | null }) {
  const fields = [...V3_FIELDS, "ALL_CATEGORIES_INFO"];
  if (opts.cursor) return { query: { cursorPaging: { limit: PAGE_SIZE, cursor: opts.cursor } }, fields };
  return {
    query: {
      ...(opts.since ? { filter: { updatedDate: { $gt: opts.since } } } : {}),
      cursorPaging: { limit: PAGE_SIZE },
    },
    fields,
  };
}

/** The record the index stores, from a mapped Product and what only the raw payload has. */
function toInput(p: Product, extra: { slug: string | null; description: string; collections: string[]; stock: number | null; updatedAt: string | null }): CatalogueInput {
  return {
    id: p.id,
    slug: extra.slug,
    name: p.name,
    description: extra.description,
    price: p.price,
    compareAtPrice: p.originalPrice,
    currency: p.currency,
    inStock: p.inStock,
    stock: extra.stock,
    preorder: p.preorder ?? false,
    imageUrl: p.imageUrl,
    url: p.url,
    collections: extra.collections,
    options: p.options ?? [],
    vendorUpdatedAt: extra.updatedAt,
    ...(p.variants
      ? {
          variants: p.variants.map((v) => ({
            id: v.id, choices: v.choices, price: v.price, compareAtPrice: v.originalPrice, sku: v.sku, inStock: v.inStock, stock: v.stock, visible: v.visible,
          })),
        }
      : {}),
  };
}

/** Group names by id; the catch-all "All Products" collection is not a category. */
function groupNames(groups: NamedGroup[]): Map<string, string> {
  return new Map(groups.filter((g) => (g.slug ?? "") !== "all-products").map((g) => [g.id, g.name]));
}

export interface WixPagesDeps {
  client: WixClient;
  store: Store;
  log: Logger;
  fallbackCurrency: string;
}

/** The Wix catalogue (the client's catalog version) as a feed of index pages. */
export function wixCataloguePages(deps: WixPagesDeps): CatalogueFeed {
  const { client, log } = deps;
  const version = client.config.catalogVersion;

  const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, what: string, data: unknown): T => {
    const r = schema.safeParse(data);
    if (!r.success) throw invalidWixResponse(what, r.error.message);
    return r.data;
  };

  const groups = () =>
    cachedGroups(deps, `wix:v${version}:categories`, async () => {
      if (version === 3) {
        const data = await client.site({ method: "POST", path: V3_CATEGORIES_QUERY, json: v3CategoriesBody(), idempotent: true });
        return parse(V3CategoriesResponse, "categories query", data).categories;
      }
      const data = await client.site({ method: "POST", path: V1_COLLECTIONS_QUERY, json: v1CollectionsBody(), idempotent: true });
      return parse(V1CollectionsResponse, "collections query", data).collections;
    });

  function mapPage(raws: unknown[], names: Map<string, string>): CataloguePage {
    const page: CataloguePage = { products: [], hidden: [] };
    for (const raw of raws) {
      if (version === 3) {
        const r = V3Raw.safeParse(raw);
        if (!r.success) continue;
        const p = mapV3Product(raw, deps.fallbackCurrency);
        if (!p) {
          page.hidden.push(r.data.id); // hidden, or no usable price: not sellable, not searchable
          continue;
        }
        const cats = r.data.allCategoriesInfo?.categories ?? r.data.directCategoriesInfo?.categories ?? [];
        page.products.push(toInput(p, {
          slug: r.data.slug ?? null,
          description: plainText(r.data.plainDescription),
          collections: cats.map((c) => names.get(c.id)).filter((n): n is string => !!n),
          stock: null,
          updatedAt: r.data.updatedDate ?? null,
        }));
      } else {
        const r = V1Raw.safeParse(raw);
        if (!r.success) continue;
        const p = mapV1Product(raw, deps.fallbackCurrency);
        if (!p) {
          page.hidden.push(r.data.id);
          continue;
        }
        const stock = r.data.stock?.trackInventory && typeof r.data.stock.quantity === "number" ? Math.max(0, Math.trunc(r.data.stock.quantity)) : null;
        page.products.push(toInput(p, {
          slug: r.data.slug ?? null,
          description: plainText(r.data.description),
          collections: (r.data.collectionIds ?? []).map((id) => names.get(id)).filter((n): n is string => !!n),
          stock,
          updatedAt: r.data.lastUpdated ?? null,
        }));
      }
    }
    return page;
  }

  async function* v1Pages(since: string | null): AsyncGenerator<CataloguePage> {
    const names = groupNames(await groups());
    let filterSince = since;
    for (let offset = 0; offset < V1_MAX_OFFSET; offset += PAGE_SIZE) {
      let data: unknown;
      try {
        data = await client.site({ method: "POST", path: V1_PRODUCTS_QUERY, json: v1PageBody({ offset, since: filterSince }), idempotent: true });
      } catch (err) {
        // A site that refuses the lastUpdated filter gets every page instead (still correct).
        if (filterSince && offset === 0 && err instanceof UpstreamError && err.status === 400) {
          log.warn("wix refused the lastUpdated filter: syncing every product", { error: err.message });
          filterSince = null;
          offset -= PAGE_SIZE;
          continue;
        }
        throw err;
      }
      const raws = parse(V1QueryResponse, "products query", data).products;
      yield mapPage(raws, names);
      const total = (data as { totalResults?: unknown }).totalResults;
      if (raws.length < PAGE_SIZE || (typeof total === "number" && offset + PAGE_SIZE >= total)) return;
    }
    log.warn("wix catalogue larger than the V1 query limit: products beyond 10,000 are not mirrored", { limit: V1_MAX_OFFSET });
  }

  async function* v3Pages(since: string | null): AsyncGenerator<CataloguePage> {
    const names = groupNames(await groups());
    let cursor: string | null = null;
    for (let n = 0; n < 10_000; n++) {
      const data: unknown = await client.site({ method: "POST", path: V3_PRODUCTS_QUERY, json: v3PageBody({ cursor, since }), idempotent: true });
      const raws = parse(V3ProductsResponse, "products query", data).products;
      yield mapPage(raws, names);
      const paging: z.infer<typeof V3Paging>["pagingMetadata"] = parse(V3Paging, "products query", data).pagingMetadata;
      cursor = paging?.cursors?.next ?? null;
      if (!cursor || paging?.hasNext === false) return;
    }
  }

  return (mode: SyncMode, since: string | null) => {
    // The high-water mark as Wix writes dates (ISO, UTC, milliseconds).
    const after = mode === "full" || !since ? null : new Date(since).toISOString();
    return version === 3 ? v3Pages(after) : v1Pages(after);
  };
}
