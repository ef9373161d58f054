/**
 * Every column that could hold something about a person says what it holds, in the schema:
 * a text, json(b) or array column of a public table needs a 'personal:<kind>' comment (or its
 * table a 'personal:none' one). A new column without one fails here, so the erasure and export
 * (which read the same comments) never miss it silently.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { createTestStore } from "../helpers/store.js";
import { rawQuery, type Query } from "./seed.js";

const KINDS = ["email", "phone", "name", "user-id", "text", "key", "link", "staff", "none"];
/** Column names that always mean a person, whatever table they are in. */
const IDENTITY_NAME = /(^|_)(email|phone|psid|user_key|user_id|user_name|first_name|last_name|name|recipient|recipient_id|reply_to|customer)$/;

interface Col { table: string; column: string; type: string; comment: string | null; tableComment: string | null }

async function textColumns(q: Query): Promise<Col[]> {
  const rows = await q(`
    select c.table_name as table, c.column_name as column, c.data_type as type,
           col_description(k.oid, c.ordinal_position::int) as comment, obj_description(k.oid, 'pg_class') as "tableComment"
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    join pg_class k on k.relname = c.table_name and k.relnamespace = 'public'::regnamespace
    where c.table_schema = 'public' and c.data_type in ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
    order by 1, 2`);
  return rows as unknown as Col[];
}

/** Problems with the classification, one sentence each (empty = all classified). */
function classificationProblems(cols: Col[]): string[] {
  const out: string[] = [];
  for (const c of cols) {
    const where = `${c.table}.${c.column} (${c.type})`;
    if (c.tableComment === "personal:none") {
      if (c.comment?.startsWith("personal:")) out.push(`${where}: its table is 'personal:none' but the column is classified too`);
      continue;
    }
    if (!c.comment?.startsWith("personal:")) {
      out.push(`${where} has no classification: add "select public.privacy_classify('${c.table}', '<kind>', '${c.column}')" to a migration`);
      continue;
    }
    const kind = c.comment.slice("personal:".length);
    if (!KINDS.includes(kind)) out.push(`${where}: unknown kind '${kind}'`);
    else if (kind === "none" && IDENTITY_NAME.test(c.column)) out.push(`${where}: its name says it identifies a person, yet it is classified 'none'`);
  }
  return out;
}

let store: PgliteStore;
let q: Query;
beforeAll(async () => {
  store = await createTestStore();
  q = rawQuery(store);
});
afterAll(() => store.close());

describe("personal-data classification", () => {
  it("covers every text, json and array column of every table in the schema", async () => {
    const cols = await textColumns(q);
    expect(cols.length).toBeGreaterThan(100);
    expect(classificationProblems(cols)).toEqual([]);
  });

  it("flags a new table's unclassified columns and a name column marked as holding nothing personal", async () => {
    await q("create table public.zz_newsletter (id bigint primary key, email text, nickname text, tags text[])");
    await q("comment on column public.zz_newsletter.email is 'personal:none'");
    await q("select public.privacy_classify('zz_newsletter', 'name', 'nickname')");
    const problems = classificationProblems((await textColumns(q)).filter((c) => c.table === "zz_newsletter"));
    expect(problems).toEqual([
      "zz_newsletter.email (text): its name says it identifies a person, yet it is classified 'none'",
      `zz_newsletter.tags (ARRAY) has no classification: add "select public.privacy_classify('zz_newsletter', '<kind>', 'tags')" to a migration`,
    ]);
    await q("drop table public.zz_newsletter");
  });

  it("refuses an unknown kind at migration time", async () => {
    await expect(q("select public.privacy_classify('app_lead', 'secret', 'email')")).rejects.toThrow(/unknown personal-data kind secret/);
  });
});
