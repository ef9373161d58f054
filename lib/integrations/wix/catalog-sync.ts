/**
 * The cron's catalogue step: mirrors the Wix catalogue into the catalogue index when the last
 * sync is older than CATALOGUE_SYNC_MINUTES (incremental by updated date; full once a day, which
 * also drops deleted products). Nothing to do for the demo shop.
 */
import type { Services } from "../../services.js";
import { integrationDeps } from "../deps.js";
import { getWixClient } from "./client.js";
import { createWixCatalog } from "./catalog.js";
import { createWixIndexedSearch } from "./catalog-index.js";

export async function syncWixCatalogue(services: Services, opts: { force?: boolean } = {}): Promise<Record<string, number>> {
  if (!services.config.wix.configured) return { skipped: 1 };
  const client = getWixClient(services);
  const deps = integrationDeps(services);
  const currency = services.config.stripe.currency.toUpperCase();
  const live = createWixCatalog(deps, client, { currency });
  const report = await createWixIndexedSearch({ catalogueSyncMinutes: services.config.wix.catalogueSyncMinutes, currency }, deps, client, live).sync(opts);
  if (!report.claimed) return { skipped: 1 }; // fresh enough, or another instance is syncing
  return { full: report.mode === "full" ? 1 : 0, pages: report.pages, upserted: report.upserted, removed: report.removed, products: report.products };
}
