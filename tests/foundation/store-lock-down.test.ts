/**
 * Lock-down of sequences (issue 16, defect 9): under Supabase's default grants the anonymous
 * key's role could `setval` an identity sequence. After the migrations, only service_role may
 * use a sequence in `public`, including sequences created by later migrations. Run on PGlite
 * and, when TEST_DATABASE_URL is set, on a real PostgreSQL server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { applyMigrations, readMigrations, type MigrationTarget } from "../../lib/store/migrate.js";
import { pgliteMigrationTarget } from "../../lib/store/pglite.js";
import { createPgDatabase, TEST_DATABASE_URL } from "../helpers/store.js";

type Rows = Record<string, unknown>[];
interface Db {
  target: MigrationTarget;
  query(sql: string): Promise<Rows>;
  /** Runs `sql` as `role` in a transaction that is rolled back; resolves to the error message, if any. */
  asRole(role: string, sql: string): Promise<string | null>;
  close(): Promise<void>;
}

/** What Supabase sets up before any migration runs: every new sequence granted to the API roles. */
const SUPABASE_DEFAULT_GRANTS = `
  alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
  grant all on all sequences in schema public to anon, authenticated;`;

const PRIVILEGES = ["USAGE", "SELECT", "UPDATE"] as const;

async function privilegesOf(db: Db, role: string): Promise<Array<{ seq: string; privilege: string }>> {
  const rows = await db.query(`
    select c.relname as seq, p.privilege
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    cross join unnest(array['${PRIVILEGES.join("','")}']) as p(privilege)
    where n.nspname = 'public' and c.relkind = 'S' and has_sequence_privilege('${role}', c.oid, p.privilege)
    order by 1, 2`);
  return rows as Array<{ seq: string; privilege: string }>;
}

async function sequences(db: Db): Promise<string[]> {
  const rows = await db.query(`select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                               where n.nspname = 'public' and c.relkind = 'S' order by 1`);
  return rows.map((r) => String(r.relname));
}

/** Foundation first (it creates the roles), then Supabase's default grants, then the rest. */
async function migrateUnderSupabaseDefaults(db: Db): Promise<void> {
  const all = readMigrations();
  await applyMigrations(db.target, all.slice(0, 1));
  await db.target.exec(SUPABASE_DEFAULT_GRANTS);
  await applyMigrations(db.target, all);
}

function lockDownSuite(label: string, open: () => Promise<Db>) {
  describe(label, () => {
    let db: Db;
    beforeAll(async () => {
      db = await open();
      await migrateUnderSupabaseDefaults(db);
    }, 120_000);
    afterAll(() => db?.close());

    it("after the migrations, anon and authenticated hold no privilege on any sequence, service_role on all", async () => {
      const seqs = await sequences(db);
      expect(seqs.length).toBeGreaterThanOrEqual(4); // identity columns of leads, messages, outbound...
      expect(await privilegesOf(db, "anon")).toEqual([]);
      expect(await privilegesOf(db, "authenticated")).toEqual([]);
      expect(await privilegesOf(db, "public")).toEqual([]);
      expect((await privilegesOf(db, "service_role")).length).toBe(seqs.length * PRIVILEGES.length);
    });

    it("the anonymous role cannot setval or nextval an identity sequence", async () => {
      const [seq] = await sequences(db);
      expect(await db.asRole("anon", `select setval('public.${seq}', 1000000)`)).toMatch(/permission denied/);
      expect(await db.asRole("authenticated", `select nextval('public.${seq}')`)).toMatch(/permission denied/);
      expect(await db.asRole("service_role", `select nextval('public.${seq}')`)).toBeNull();
    });

    it("a sequence created by a later migration is not granted to anon, and comptoir_lock_down() keeps it so", async () => {
      await db.target.exec("create table public.t_later (id bigint generated always as identity primary key)");
      const seq = "t_later_id_seq";
      const anonBefore = (await privilegesOf(db, "anon")).filter((p) => p.seq === seq);
      await db.target.exec("select public.comptoir_lock_down()");
      expect(anonBefore).toEqual([]);
      expect((await privilegesOf(db, "anon")).filter((p) => p.seq === seq)).toEqual([]);
      expect((await privilegesOf(db, "service_role")).filter((p) => p.seq === seq)).toHaveLength(PRIVILEGES.length);
    });

    it("comptoir_lock_down() revokes a sequence grant made by hand", async () => {
      const [seq] = await sequences(db);
      await db.target.exec(`grant all on sequence public.${seq} to anon`);
      expect((await privilegesOf(db, "anon")).length).toBe(PRIVILEGES.length);
      await db.target.exec("select public.comptoir_lock_down()");
      expect(await privilegesOf(db, "anon")).toEqual([]);
    });
  });
}

lockDownSuite("sequence lock-down on PGlite", async () => {
  const { PGlite } = await import("@electric-sql/pglite");
  const { vector } = await import("@electric-sql/pglite-pgvector");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const pg: PGlite = await PGlite.create({ extensions: { vector, pg_trgm } });
  return {
    target: pgliteMigrationTarget(pg),
    query: async (sql) => (await pg.query<Record<string, unknown>>(sql)).rows,
    asRole: (role, sql) =>
      pg
        .transaction(async (tx) => {
          await tx.exec(`set local role ${role}`);
          await tx.exec(sql);
          await tx.rollback();
        })
        .then(() => null, (err: Error) => err.message),
    close: () => pg.close(),
  };
});

describe.runIf(TEST_DATABASE_URL)("on real PostgreSQL", () => {
  lockDownSuite("sequence lock-down on real PostgreSQL", async () => {
    const made = await createPgDatabase({ migrate: false, max: 2 });
    const sql = made.store.sql;
    const conn: Omit<MigrationTarget, "transaction"> = {
      exec: async (text) => void (await sql.unsafe(text)),
      query: async (text, params) => (await sql.unsafe(text, (params ?? []) as never[])) as unknown as Rows,
    };
    return {
      target: {
        ...conn,
        transaction: async (fn) =>
          (await sql.begin((tx) =>
            fn({
              exec: async (text) => void (await tx.unsafe(text)),
              query: async (text, params) => (await tx.unsafe(text, (params ?? []) as never[])) as unknown as Rows,
            }),
          )) as never,
      },
      query: (text) => conn.query(text),
      asRole: async (role, text) => {
        const rolledBack = new Error("rollback");
        try {
          await sql.begin(async (tx) => {
            await tx.unsafe(`set local role ${role}`);
            await tx.unsafe(text);
            throw rolledBack;
          });
          return null;
        } catch (err) {
          return err === rolledBack ? null : (err as Error).message;
        }
      },
      close: () => made.drop(),
    };
  });
});
