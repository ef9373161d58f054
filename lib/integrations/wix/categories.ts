/**
 * Resolves a category name given by a caller ("robe", "Chaussures", "foulards-echarpes") to a
 * Wix collection (V1) or category (V3) id. The site's list is cached for 10 minutes.
 */
import type { Store } from "../../store/store.js";
import { cacheGet, cachePut } from "../../store/queries.js";
import type { Logger } from "../../log.js";
import { foldText } from "../../shop/text.js";

export interface NamedGroup { id: string; name: string; slug?: string | null }

export const CATEGORIES_TTL_SECONDS = 600;

function loose(s: string): string {
  return foldText(s).replace(/[^a-z0-9]+/g, " ").trim();
}
/** Crude French/English plural folding, enough for "robes" = "robe", "chapeaux" = "chapeau". */
function singular(s: string): string {
  return s
    .split(" ")
    .map((w) => (w.length > 3 && /(x|s)$/.test(w) ? w.slice(0, -1) : w))
    .join(" ");
}

/** The id of the group whose name or slug matches `wanted`, or null. */
export function matchGroup(groups: NamedGroup[], wanted: string): string | null {
  const w = loose(wanted);
  if (!w) return null;
  const exact = groups.find((g) => loose(g.name) === w || (g.slug && loose(g.slug) === w));
  if (exact) return exact.id;
  const ws = singular(w);
  const plural = groups.find((g) => singular(loose(g.name)) === ws || (g.slug && singular(loose(g.slug)) === ws));
  if (plural) return plural.id;
  // "foulard" finds "Foulards & écharpes": every word of the wanted name is a word of the group's name.
  const words = ws.split(" ");
  const partial = groups.find((g) => {
    const own = new Set(singular(loose(g.name)).split(" "));
    return words.every((x) => own.has(x));
  });
  return partial?.id ?? null;
}

/** Reads the groups list from the cache, or loads and caches it (a cache failure is only logged). */
export async function cachedGroups(deps: { store: Store; log: Logger }, key: string, load: () => Promise<NamedGroup[]>): Promise<NamedGroup[]> {
  try {
    const hit = await cacheGet<NamedGroup[]>(deps.store, key);
    if (hit) return hit;
  } catch (err) {
    deps.log.warn("wix category cache unavailable", { error: (err as Error).message });
  }
  const groups = await load();
  await cachePut(deps.store, key, groups, CATEGORIES_TTL_SECONDS).catch((err: Error) =>
    deps.log.warn("wix category cache write failed", { error: err.message }),
  );
  return groups;
}
