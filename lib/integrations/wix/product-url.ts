/** Joins a Wix page base and path without doubled or missing slashes; absolute paths win. */
export function joinPageUrl(base: string | null | undefined, path: string | null | undefined): string | null {
  const p = (path ?? "").trim();
  if (/^https?:\/\//i.test(p)) return p;
  const b = (base ?? "").trim();
  if (!/^https?:\/\//i.test(b)) return null;
  if (!p) return b;
  return `${b.replace(/\/+$/, "")}/${p.replace(/^\/+/, "")}`;
}
