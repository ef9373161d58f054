/**
 * Applies `supabase/migrations/*.sql` in name order (the Supabase CLI layout), each once,
 * recording it in `comptoir_migrations`. All pending files run in one transaction, under a
 * transaction-scoped advisory lock when several processes may migrate the same database.
 */
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import path from "node:path";

type Rows = Record<string, unknown>[];
interface Conn {
  exec(sql: string): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<Rows>;
}
export interface MigrationTarget extends Conn {
  transaction<T>(fn: (tx: Conn) => Promise<T>): Promise<T>;
  lock?: boolean;
}
export interface Migration { version: string; name: string; sql: string; checksum: string }
export interface MigrationResult { applied: string[]; alreadyApplied: number }

export function migrationsDir(): string {
  const candidates = [
    fileURLToPath(new URL("../../supabase/migrations/", import.meta.url)),
    path.join(process.cwd(), "supabase/migrations"),
  ];
  const dir = candidates.find((d) => existsSync(d));
  if (!dir) throw new Error(`supabase/migrations not found (looked in ${candidates.join(", ")})`);
  return dir;
}

export function readMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{14}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), "utf8");
      const [version, ...rest] = file.replace(/\.sql$/, "").split("_");
      return { version: version!, name: rest.join("_"), sql, checksum: createHash("sha256").update(sql).digest("hex").slice(0, 16) };
    });
}

export async function applyMigrations(target: MigrationTarget, migrations = readMigrations()): Promise<MigrationResult> {
  await target.exec(`create table if not exists public.comptoir_migrations (
    version text primary key, name text not null, checksum text not null, applied_at timestamptz not null default now());
    alter table public.comptoir_migrations enable row level security;`);
  return target.transaction(async (tx) => {
    if (target.lock) await tx.query("select pg_advisory_xact_lock(hashtext('comptoir_migrations'))");
    const done = new Set((await tx.query("select version from public.comptoir_migrations")).map((r) => String(r.version)));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      await tx.query("insert into public.comptoir_migrations (version, name, checksum) values ($1, $2, $3)", [m.version, m.name, m.checksum]);
      applied.push(`${m.version}_${m.name}`);
    }
    return { applied, alreadyApplied: done.size };
  });
}
