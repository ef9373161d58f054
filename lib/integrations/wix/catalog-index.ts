/**
 * The Wix shop's search, served by the catalogue index (the Wix catalogue mirrored into SQL):
 * one store round trip, the same understanding of shoppers' words as the demo shop, and none of
 * Catalog V1's names-only search. The mirror is refreshed on demand when older than
 * CATALOGUE_SYNC_MINUTES (by the one instance that claims the sync), and by the cron.
 * Wix itself is asked only when the index was never filled and another instance is filling it.
 */
import type { IntegrationDeps } from "../deps.js";
import { searchCatalogue, toProduct, type CatalogueRow, type UrlResolver } from "../../shop/catalogue-index.js";
import { syncCatalogue, type SyncReport } from "../../shop/catalogue-sync.js";
import type { Product, ProductSearch } from "../../shop/types.js";
import { wixCataloguePages } from "./catalog-pages.js";
import type { WixCatalog } from "./catalog.js";
import type { WixClient } from "./client.js";

/** Wix stores absolute image and page URLs. */
export const WIX_URLS: UrlResolver = {
  imageUrl: (r: CatalogueRow) => r.imageUrl,
  pageUrl: (r: CatalogueRow) => r.url,
};

export interface WixIndexedSearch {
  searchProducts(search: ProductSearch): Promise<Product[]>;
  /** Mirrors the catalogue now if it is due (or `force`); null when another instance holds the sync. */
  sync(opts?: { force?: boolean }): Promise<SyncReport>;
}

export function createWixIndexedSearch(
  cfg: { catalogueSyncMinutes: number; currency: string },
  deps: Pick<IntegrationDeps, "store" | "log">,
  client: WixClient,
  live: WixCatalog,
): WixIndexedSearch {
  const { store, log } = deps;
  const maxAgeSeconds = cfg.catalogueSyncMinutes * 60;
  const feed = wixCataloguePages({ client, store, log, fallbackCurrency: cfg.currency });
  const sync = (opts: { force?: boolean } = {}) => syncCatalogue(store, "wix", feed, { maxAgeSeconds, force: opts.force ?? false });

  return {
    sync,
    async searchProducts(search) {
      let found = await searchCatalogue(store, "wix", search, { maxAgeSeconds });
      if (found.stale) {
        let report: SyncReport = { claimed: false };
        try {
          report = await sync();
        } catch (err) {
          if (found.syncedAt === null) throw err; // nothing mirrored yet: the outage is the answer
          log.warn("catalogue refresh failed, answering from the last sync", { syncedAt: found.syncedAt, error: (err as Error).message });
        }
        if (report.claimed) {
          found = await searchCatalogue(store, "wix", search, { maxAgeSeconds });
        } else if (found.syncedAt === null) {
          // Another instance is filling the index right now: ask Wix directly this once.
          return live.searchProducts(search);
        }
      }
      return found.products.map((r) => toProduct(r, WIX_URLS));
    },
  };
}
