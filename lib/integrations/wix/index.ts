/**
 * lib/integrations/wix — the Wix REST APIs Comptoir uses: Stores catalogue (V1 or V3, with
 * options and variants), CRM contacts (v4), coupons (stores v2), Wix Data (v2), and eCommerce
 * (checkouts and their hosted URL, orders recorded from Stripe, order search, fulfilments).
 * Factories take their config slice and IntegrationDeps; every path id goes through wixPath. All calls go through lib/http (breaker
 * "wix"); errors are typed (UpstreamError / BreakerOpenError), never an empty result.
 * Most callers want `getShop(services)` from lib/shop instead.
 */
export { createWixClient, getWixClient, wixConfig, wixErrorCode, type WixClient, type WixConfig } from "./client.js";
export { createWixCatalog, searchCacheKey, searchLimit, SEARCH_CACHE_TTL_SECONDS, MAX_SEARCH_LIMIT, type WixCatalog } from "./catalog.js";
export { createWixIndexedSearch, WIX_URLS, type WixIndexedSearch } from "./catalog-index.js";
export { wixCataloguePages, v1PageBody, v3PageBody } from "./catalog-pages.js";
export { syncWixCatalogue } from "./catalog-sync.js";
export { createWixContacts, CHATBOT_LABEL_KEY, type WixContacts } from "./contacts.js";
export { createWixCoupons, couponSpecification, WIX_COUPONS_PATH, type WixCoupons } from "./coupons.js";
export { createWixData, getWixData, type WixData, type WixDataItem, type WixDataQuery } from "./data.js";
export { createWixShop, wixShopConfig, type WixShopConfig } from "./shop.js";
export { createWixCheckout, wixCheckoutUrl, catalogReference, createCheckoutBody, WIX_STORES_APP_ID, type WixCatalogLine, type WixCheckoutCreated } from "./ecom-checkout.js";
export { createWixOrder, addWixPayment, getWixOrder, searchWixOrders, wixOrderTracking, createOrderBody, addPaymentBody, type ExternalOrder, type Tracking, type WixOrder } from "./ecom-orders.js";
export { whatsappImageUrl, WHATSAPP_IMAGE_TRANSFORM } from "./image-url.js";
export { wixPath, isWixId, InvalidWixIdError } from "./client.js";
