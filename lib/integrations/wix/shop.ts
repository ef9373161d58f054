/**
 * The Shop served by Wix: search over the mirrored catalogue (catalogue index), products read
 * fresh from Wix by id, CRM contacts and coupons over one Wix client.
 */
import type { Services } from "../../services.js";
import type { Shop } from "../../shop/types.js";
import { createWixCatalog } from "./catalog.js";
import { createWixIndexedSearch } from "./catalog-index.js";
import { getWixClient, type WixClient } from "./client.js";
import { createWixContacts } from "./contacts.js";
import { createWixCoupons } from "./coupons.js";

export function createWixShop(services: Services, opts: { client?: WixClient; now?: () => number } = {}): Shop {
  const client = opts.client ?? getWixClient(services);
  const catalog = createWixCatalog(services, client);
  const index = createWixIndexedSearch(services, client, catalog);
  const contacts = createWixContacts(client, services.log);
  const coupons = createWixCoupons(client, {
    caps: services.config.coupons,
    codeBytes: services.config.coupons.codeBytes,
    currency: services.config.stripe.currency.toUpperCase(),
    now: opts.now,
  });
  return {
    kind: "wix",
    searchProducts: (s) => index.searchProducts(s), // the mirrored catalogue (catalogue index)
    getProduct: (id) => catalog.getProduct(id),
    upsertContact: (c) => contacts.upsertContact(c),
    createCoupon: (c) => coupons.createCoupon(c),
  };
}
