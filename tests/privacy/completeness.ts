/**
 * The erasure completeness check, from the schema: every column whose comment classifies it as
 * personal ('personal:<kind>', kind not 'none' or 'staff') is searched for a person's markers.
 */
import type { Query } from "./seed.js";

export interface PersonalColumn { table: string; column: string; kind: string }

export async function personalColumns(q: Query): Promise<PersonalColumn[]> {
  const rows = await q(`
    select c.table_name as table, c.column_name as column, substr(d.description, 10) as kind
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    join pg_class k on k.relname = c.table_name and k.relnamespace = 'public'::regnamespace
    join pg_description d on d.objoid = k.oid and d.objsubid = c.ordinal_position
    where c.table_schema = 'public' and d.description like 'personal:%' and d.description not in ('personal:none', 'personal:staff')
    order by 1, 2`);
  return rows.map((r) => ({ table: String(r.table), column: String(r.column), kind: String(r.kind) }));
}

/** Rows per table (and column) in which any marker appears. */
export async function findMarkers(q: Query, columns: PersonalColumn[], markers: string[]): Promise<Record<string, number>> {
  const patterns = markers.map((m) => `%${m.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const found: Record<string, number> = {};
  for (const c of columns) {
    const [r] = await q(`select count(*)::int as n from public."${c.table}" where "${c.column}"::text ilike any($1::text[])`, [patterns]);
    const n = Number(r!.n);
    if (n > 0) found[`${c.table}.${c.column}`] = n;
  }
  return found;
}

export const tablesOf = (found: Record<string, number>) => [...new Set(Object.keys(found).map((k) => k.split(".")[0]!))].sort();
