/** A PostgreSQL server for the benchmarks: BENCH_DATABASE_URL / TEST_DATABASE_URL, or a throwaway one. */
import { execFileSync } from "node:child_process";

export interface BenchPostgres { url: string; stop(): void }

export function startPostgres(): BenchPostgres {
  const given = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (given) return { url: given, stop() {} };
  const out = execFileSync("bash", ["-c", 'source scripts/pg-throwaway.sh && pg_throwaway_start && echo "$PG_THROWAWAY_URL|$PG_THROWAWAY_DIR|$PG_THROWAWAY_BINDIR"'], { encoding: "utf8" }).trim();
  const [url, dir, bindir] = out.split("\n").pop()!.split("|");
  return {
    url: url!,
    stop() {
      execFileSync("bash", ["-c", `source scripts/pg-throwaway.sh && PG_THROWAWAY_DIR='${dir}' PG_THROWAWAY_BINDIR='${bindir}' pg_throwaway_stop`]);
    },
  };
}

/** A fresh database on the server (so every run starts empty). */
export async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
