/**
 * Mirrors an outside catalogue (Wix) into the catalogue index, page by page. One instance at a
 * time: the sync is claimed in SQL with a lease (`catalogue_sync_claim`), each page is written
 * in one call (`catalogue_upsert_products`), and the end (`catalogue_sync_finish`) removes what a
 * full sync did not see, rebuilds the typo vocabulary and moves the high-water mark. A failure
 * releases the lease and leaves the index as it was plus the pages already written.
 */
import type { Store } from "../store/store.js";
import type { CatalogueSource } from "./catalogue-index.js";
import type { ProductOption } from "./types.js";

/** One product as the index stores it (money as exact decimal strings). */
export interface CatalogueInput {
  id: string;
  slug: string | null;
  name: string;
  /** Plain text, in full (the index searches it; the shop layer shortens it for display). */
  description: string;
  price: string;
  compareAtPrice: string | null;
  currency: string;
  inStock: boolean;
  stock: number | null;
  preorder: boolean;
  imageUrl: string | null;
  url: string | null;
  collections: string[];
  options: ProductOption[];
  keywords?: string;
  /** The vendor's last update (ISO), for incremental syncs. */
  vendorUpdatedAt: string | null;
  /** When given, they replace the product's variants. */
  variants?: {
    id: string;
    choices: Record<string, string>;
    price: string;
    compareAtPrice: string | null;
    sku: string | null;
    inStock: boolean;
    stock: number | null;
    visible: boolean;
  }[];
}

/** One page of the vendor's catalogue: products to write, and ids it reports hidden. */
export interface CataloguePage {
  products: CatalogueInput[];
  hidden: string[];
}

export type SyncMode = "full" | "incremental";

/** The vendor side: pages of the whole catalogue, or of what changed after `since`. */
export type CatalogueFeed = (mode: SyncMode, since: string | null) => AsyncIterable<CataloguePage>;

export interface SyncOptions {
  /** Sync only when the last one is older than this (ignored with force). */
  maxAgeSeconds: number;
  /** A full sync (which also removes deleted products) at least this often. */
  fullEverySeconds?: number;
  /** How long a claimed sync may run before another instance may take over. */
  leaseSeconds?: number;
  force?: boolean;
}

export type SyncReport =
  | { claimed: false }
  | { claimed: true; mode: SyncMode; pages: number; upserted: number; removed: number; products: number };

export const FULL_SYNC_EVERY_SECONDS = 24 * 3600;
export const SYNC_LEASE_SECONDS = 300;

/** Runs one sync of `source` if it is due and nobody else is running one. */
export async function syncCatalogue(store: Store, source: CatalogueSource, feed: CatalogueFeed, opts: SyncOptions): Promise<SyncReport> {
  const claim = await store.rpc<{ claimed: boolean; mode?: SyncMode; since?: string | null; startedAt?: string }>("catalogue_sync_claim", {
    p_source: source,
    p_max_age_seconds: Math.max(0, Math.trunc(opts.maxAgeSeconds)),
    p_full_every_seconds: opts.fullEverySeconds ?? FULL_SYNC_EVERY_SECONDS,
    p_lease_seconds: opts.leaseSeconds ?? SYNC_LEASE_SECONDS,
    p_force: opts.force ?? false,
  });
  if (!claim.claimed || !claim.mode || !claim.startedAt) return { claimed: false };

  let pages = 0;
  let upserted = 0;
  let removed = 0;
  try {
    for await (const page of feed(claim.mode, claim.since ?? null)) {
      pages++;
      if (!page.products.length && !page.hidden.length) continue;
      const r = await store.rpc<{ upserted: number; removed: number }>("catalogue_upsert_products", {
        p_source: source,
        p_products: page.products,
        p_hidden_ids: page.hidden,
      });
      upserted += r.upserted;
      removed += r.removed;
    }
  } catch (err) {
    await store
      .rpc("catalogue_sync_finish", { p_source: source, p_started_at: claim.startedAt, p_error: `${(err as Error)?.name}: ${(err as Error)?.message}` })
      .catch(() => undefined); // the lease expires on its own if even this fails
    throw err;
  }
  const done = await store.rpc<{ finished: boolean; removed?: number; products?: number }>("catalogue_sync_finish", {
    p_source: source,
    p_started_at: claim.startedAt,
  });
  return { claimed: true, mode: claim.mode, pages, upserted, removed: removed + (done.removed ?? 0), products: done.products ?? 0 };
}
