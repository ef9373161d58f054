/**
 * catalogue_search at catalogue size: the demo's products, and a shop 120 times larger (the
 * demo products copied into the "wix" source through the sync's own functions: claim, upsert
 * pages, finish — so vectors and vocabulary are built as a real sync builds them). Time per call
 * through the store (PostgreSQL's work plus one round trip), median of sequential calls, the
 * schemas compared called in alternation.
 */
import type { Migration } from "../../lib/store/migrate.js";
import { createPostgresStore } from "../../lib/store/postgres.js";

export interface CatalogueSizeRow { query: string; args: Record<string, unknown>; ms: Record<string, number> }
export interface CatalogueSizeResult { sizes: Record<string, number>; rows: CatalogueSizeRow[] }

const COPIES = 120;
const QUERIES: Array<{ query: string; args: Record<string, unknown> }> = [
  { query: "robes", args: { p_query: "robes" } },
  { query: "robe rouge en lin", args: { p_query: "robe rouge en lin" } },
  { query: "bougie parfumée, under 40 €, in stock", args: { p_query: "bougie parfumée", p_max_price: 40, p_in_stock: true } },
  { query: "(everything), cheapest first", args: { p_query: "", p_sort: "price_asc" } },
  { query: "a misspelt word (\"chemize\")", args: { p_query: "chemize" } },
];

type Json = Record<string, unknown>;

/** A database holding the demo catalogue and its 120 copies, under `migrations` (another commit's schema), else this one's. */
async function seededStore(dbUrl: string, migrations?: Migration[]) {
  const store = await createPostgresStore({ url: dbUrl, prepare: true, max: 1 });
  try {
    await store.migrate(migrations);
    const ids = (await store.sql`select id from public.catalogue_products where source = 'demo' and visible order by id`).map((r) => r.id as string);
    const demo = await Promise.all(ids.map((id) => store.rpc<Json>("catalogue_get_product", { p_source: "demo", p_id: id })));
    const claim = await store.rpc<{ startedAt: string }>("catalogue_sync_claim", {
      p_source: "wix", p_max_age_seconds: 0, p_full_every_seconds: 0, p_lease_seconds: 600, p_force: true,
    });
    const copies = Array.from({ length: COPIES }, (_, k) =>
      demo.map((p) => ({
        ...p, id: `bench-${k}-${p.id}`, compareAtPrice: p.originalPrice, position: k * demo.length + Number(p.position ?? 0),
        variants: ((p.variants as Json[] | undefined) ?? []).map((v) => ({ ...v, compareAtPrice: v.originalPrice })),
      })),
    ).flat();
    for (let i = 0; i < copies.length; i += 500) {
      await store.rpc("catalogue_upsert_products", { p_source: "wix", p_products: copies.slice(i, i + 500) });
    }
    await store.rpc("catalogue_sync_finish", { p_source: "wix", p_started_at: claim.startedAt });
    await store.sql`analyze`;
    return { store, sizes: { demo: demo.length, wix: copies.length } };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/**
 * Each database seeded the same way, then every query timed on all of them in alternation (one
 * call on each in turn), so a change in the machine's load hits every schema alike.
 */
export async function measureCatalogueSize(dbs: Array<{ label: string; url: string; migrations?: Migration[] }>, calls: number): Promise<Array<{ label: string; result: CatalogueSizeResult }>> {
  const seeded: Array<Awaited<ReturnType<typeof seededStore>>> = [];
  try {
    for (const db of dbs) seeded.push(await seededStore(db.url, db.migrations));
    const rows = dbs.map(() => [] as CatalogueSizeRow[]);
    for (const q of QUERIES) {
      const ms = dbs.map(() => ({}) as Record<string, number>);
      for (const source of ["demo", "wix"]) {
        const times = dbs.map(() => [] as number[]);
        for (let i = 0; i < calls + 3; i++) {
          for (const [k, { store }] of seeded.entries()) {
            const t0 = performance.now();
            await store.rpc("catalogue_search", { p_source: source, ...q.args });
            if (i >= 3) times[k]!.push(performance.now() - t0); // the first calls plan the queries
          }
        }
        for (const [k, t] of times.entries()) ms[k]![source] = t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!;
      }
      for (const [k, m] of ms.entries()) rows[k]!.push({ ...q, ms: m });
    }
    return dbs.map((db, k) => ({ label: db.label, result: { sizes: seeded[k]!.sizes, rows: rows[k]! } }));
  } finally {
    for (const { store } of seeded) await store.close();
  }
}
