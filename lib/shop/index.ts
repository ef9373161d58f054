/**
 * lib/shop — the shop as the rest of the app sees it. `getShop(services)` returns the Wix shop
 * when WIX_API_KEY (+ WIX_SITE_ID) is set, else the demo shop in Postgres; callers never know
 * which. Both search one catalogue index in SQL (catalogue-index.ts: the demo products, or the
 * Wix catalogue mirrored by catalogue-sync.ts), with price phrases read by search-constraints.ts.
 * Shared rules live here too: coupon caps, coupon codes, text helpers (money: lib/money).
 */
import { integrationDeps } from "../integrations/deps.js";
import { getWixClient } from "../integrations/wix/client.js";
import { createWixShop, wixShopConfig } from "../integrations/wix/shop.js";
import { lazy, type Services } from "../services.js";
import { createDemoShop } from "./demo-shop.js";
import type { Shop } from "./types.js";

export * from "./types.js";
export {
  validateCoupon, generateCouponCode, couponCodeLength, couponLabel,
  COUPON_ALPHABET, COUPON_MIN_DAYS, COUPON_MAX_DAYS, WIX_MAX_CODE_LENGTH,
  type CouponCaps, type ValidCoupon,
} from "./coupon-rules.js";
export { createDemoShop, demoProductUrl, DEMO_COUPON_PREFIX } from "./demo-shop.js";
export {
  searchCatalogue, getCatalogueProduct, searchArgs, toProduct,
  type CatalogueRow, type CatalogueSearchResult, type CatalogueSource, type UrlResolver,
} from "./catalogue-index.js";
export { syncCatalogue, type CatalogueInput, type CatalogueFeed, type CataloguePage, type SyncReport } from "./catalogue-sync.js";
export { parseSearchConstraints, AROUND_BAND, type SearchConstraints } from "./search-constraints.js";
export { normaliseContact, normalisePhone, normaliseEmail, splitName, type NormalisedContact } from "./contact.js";
export { plainText, summarize, shortDescription, normaliseSearchText } from "./text.js";

/** The instance's shop (memoised per Services): Wix when configured, else the demo shop. */
export function getShop(services: Services): Shop {
  return lazy(services, "shop", () =>
    services.config.wix.configured
      ? createWixShop(wixShopConfig(services.config), integrationDeps(services), { client: getWixClient(services) })
      : createDemoShop(services),
  );
}
