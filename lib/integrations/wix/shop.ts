/**
 * The Shop served by Wix: search over the mirrored catalogue (catalogue index), products read
 * fresh from Wix by id, CRM contacts and coupons over one Wix client.
 */
import type { Config } from "../../config.js";
import type { Shop } from "../../shop/types.js";
import type { IntegrationDeps } from "../deps.js";
import { createWixCatalog } from "./catalog.js";
import { createWixIndexedSearch } from "./catalog-index.js";
import { createWixClient, type WixClient, type WixConfig } from "./client.js";
import { createWixContacts } from "./contacts.js";
import { createWixCoupons } from "./coupons.js";

/** What the Wix shop needs from the configuration: Wix itself, the coupon caps, the shop's currency. */
export interface WixShopConfig {
  wix: WixConfig;
  coupons: Config["coupons"];
  /** ISO 4217, e.g. "EUR" (STRIPE_CURRENCY, the shop's currency). */
  currency: string;
}

/** The slice of the configuration createWixShop takes (throws when Wix is not configured). */
export function wixShopConfig(config: Config): WixShopConfig {
  if (!config.wix.configured) throw new Error("Wix is not configured: set WIX_API_KEY and WIX_SITE_ID (see README, Wix setup)");
  return { wix: config.wix, coupons: config.coupons, currency: config.stripe.currency.toUpperCase() };
}

export function createWixShop(cfg: WixShopConfig, deps: IntegrationDeps, opts: { client?: WixClient; now?: () => number } = {}): Shop {
  const client = opts.client ?? createWixClient(cfg.wix, deps);
  const catalog = createWixCatalog(deps, client, { currency: cfg.currency });
  const index = createWixIndexedSearch({ catalogueSyncMinutes: cfg.wix.catalogueSyncMinutes, currency: cfg.currency }, deps, client, catalog);
  const contacts = createWixContacts(client, deps.log);
  const coupons = createWixCoupons(client, {
    caps: cfg.coupons,
    codeBytes: cfg.coupons.codeBytes,
    currency: cfg.currency,
    ...(opts.now ? { now: opts.now } : {}),
  });
  return {
    kind: "wix",
    searchProducts: (s) => index.searchProducts(s), // the mirrored catalogue (catalogue index)
    getProduct: (id) => catalog.getProduct(id),
    upsertContact: (c) => contacts.upsertContact(c),
    createCoupon: (c) => coupons.createCoupon(c),
  };
}
