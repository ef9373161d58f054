/**
 * The erasure tests shared by PGlite and real PostgreSQL: completeness from the schema, and a
 * look-alike's data left intact.
 */
import { expect } from "vitest";
import type { Store } from "../../lib/store/store.js";
import { findMarkers, personalColumns, tablesOf } from "./completeness.js";
import { MARIE, TWIN, markersOf, rawQuery, seedPerson } from "./seed.js";

/** Tables with personal columns the scenario cannot fill, each with the reason. */
export const NOT_SEEDED: Record<string, string> = {};

export async function erasureIsCompleteAndSpareTheTwin(store: Store, erase: () => Promise<unknown>): Promise<void> {
  const q = rawQuery(store);
  const marie = await seedPerson(store, MARIE);
  const twin = await seedPerson(store, TWIN);
  const columns = await personalColumns(q);
  const marieMarkers = markersOf(MARIE, marie);
  const twinMarkers = markersOf(TWIN, twin);

  const before = await findMarkers(q, columns, marieMarkers);
  const twinBefore = await findMarkers(q, columns, twinMarkers);
  // The scenario reaches every table the schema says can hold a person (a new one must be seeded).
  const personalTables = [...new Set(columns.map((c) => c.table))].filter((t) => !(t in NOT_SEEDED)).sort();
  expect(tablesOf(before)).toEqual(personalTables);
  expect(twinBefore).toEqual(
    Object.fromEntries(Object.entries(before).map(([k, v]) => [k, v])),
  );

  await erase();

  expect(await findMarkers(q, columns, marieMarkers), "Marie's identifiers left after her erasure").toEqual({});
  expect(await findMarkers(q, columns, twinMarkers), "the look-alike's data must stay as it was").toEqual(twinBefore);
  // Orders are anonymised, not deleted: both orders still count for accounting.
  const orders = await q("select id::text, email, amount_total::int as amount from app_checkout_order where id = any($1::uuid[]) order by email nulls first", [[marie.orderId, twin.orderId]]);
  expect(orders).toEqual([
    { id: marie.orderId, email: null, amount: 4500 },
    { id: twin.orderId, email: TWIN.email, amount: 4500 },
  ]);
}
