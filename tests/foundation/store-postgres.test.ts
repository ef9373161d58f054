/** Concurrency on a real PostgreSQL server (TEST_DATABASE_URL; .ci/run starts one). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dedupClaim, rateLimitHit } from "../../lib/store/queries.js";
import { createPostgresStore } from "../../lib/store/postgres.js";
import { arrayLiteral, parseArrayLiteral } from "../../lib/store/pg-arrays.js";
import { createPgDatabase, TEST_DATABASE_URL } from "../helpers/store.js";

describe.runIf(TEST_DATABASE_URL)("store on real PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  beforeAll(async () => {
    db = await createPgDatabase();
  });
  afterAll(() => db?.drop());

  it("migrations are recorded and a second run applies nothing", async () => {
    expect(await db.store.migrate()).toMatchObject({ applied: [] });
  });

  it("50 connections claiming one key at once: exactly one true", async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => dedupClaim(db.store, "wamid.same", 3600)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("50 parallel hits with limit 10: exactly 10 allowed", async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => rateLimitHit(db.store, "ip:203.0.113.9", 10, 60)));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });

  it("a call is a named prepared statement on a direct connection (one round trip once described), an unnamed one through a pooler", async () => {
    const direct = await createPostgresStore({ url: db.url, prepare: true, max: 1 });
    const pooled = await createPostgresStore({ url: db.url, prepare: false, max: 1 });
    const preparedOnServer = async (store: typeof direct) => {
      const [row] = await store.sql.unsafe("select count(*)::int as n from pg_prepared_statements where statement like '%public.rate_limit_hit(%'");
      return row!.n as number;
    };
    try {
      for (const store of [direct, pooled]) {
        for (let i = 0; i < 3; i++) expect((await rateLimitHit(store, `ip:198.51.100.${i}`, 10, 60)).allowed).toBe(true);
      }
      // The same connection (max: 1) prepared it once and reused it for the next calls.
      expect(await preparedOnServer(direct)).toBe(1);
      expect(await preparedOnServer(pooled)).toBe(0);
    } finally {
      await direct.close();
      await pooled.close();
    }
  });

  it("arrays go both ways without postgres.js's type lookup, prepared or through a pooler (prepare: false)", async () => {
    const values = ["plain", "with,comma", 'quote"d', "back\\slash", "{braces}", " spaced ", "", "NULL", "null", null, "héllo ✓", "multi\nline"];
    const pooled = await createPostgresStore({ url: db.url, prepare: false, max: 1 });
    try {
      for (const store of [db.store, pooled]) {
        const [row] = await store.sql.unsafe("select $1::text[] as a, cardinality($1::text[]) as n, $2::text[] as empty", [values, []] as never[]);
        expect(row!.a).toEqual(values);
        expect(row!.n).toBe(values.length);
        expect(row!.empty).toEqual([]);
        const ids = ["ded99173-fe7f-44ea-8170-fd277d397ed2", "60dfc60e-32be-4888-8ea8-09b3a16db984"];
        const [typed] = await store.sql.unsafe(
          "select $1::uuid[] as ids, (select count(*) from unnest($1::uuid[]))::int as n, $2::int4[] as ints, array[true, false] as flags, array[1.5, 2]::float8[] as floats",
          [ids, [1, -2, null]] as never[],
        );
        expect(typed).toEqual({ ids, n: 2, ints: [1, -2, null], flags: [true, false], floats: [1.5, 2] });
      }
    } finally {
      await pooled.close();
    }
  });
});

describe("array literals", () => {
  it("parse what they write, and PostgreSQL's own unquoted and bounded forms", () => {
    const values = ["a", "b,c", 'd"e', "f\\g", "", null, "NULL"];
    expect(parseArrayLiteral(arrayLiteral(values))).toEqual(values);
    expect(parseArrayLiteral('{a,NULL,"b c",""}')).toEqual(["a", null, "b c", ""]);
    expect(parseArrayLiteral("{}")).toEqual([]);
    expect(parseArrayLiteral("[0:1]={x,y}")).toEqual(["x", "y"]);
    expect(() => parseArrayLiteral('{"unterminated')).toThrow();
  });
});
