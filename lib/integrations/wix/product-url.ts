/**
 * Product page URLs from Wix. V1 `productPageUrl.base` may come without a scheme (Wix's own
 * example: "www.example.com/"): a host-looking base gets `https://`.
 */

/** "www.shop.fr/" or "//www.shop.fr" -> "https://www.shop.fr/"; http(s) URLs unchanged; else null. */
export function absoluteBase(base: string | null | undefined): string | null {
  const b = (base ?? "").trim();
  if (!b) return null;
  if (/^https?:\/\//i.test(b)) return b;
  const host = b.replace(/^\/\//, "");
  // A host name with a dot (and no other scheme): www.shop.fr, shop.wixsite.com/site
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(\/|$)/i.test(host)) return `https://${host}`;
  return null;
}

/** Joins a Wix page base and path without doubled or missing slashes; absolute paths win. */
export function joinPageUrl(base: string | null | undefined, path: string | null | undefined): string | null {
  const p = (path ?? "").trim();
  if (/^https?:\/\//i.test(p)) return p;
  const b = absoluteBase(base);
  if (!b) return null;
  if (!p) return b;
  return `${b.replace(/\/+$/, "")}/${p.replace(/^\/+/, "")}`;
}
