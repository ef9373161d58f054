/**
 * Cold start per function, built the two ways the platforms ship it:
 *   - netlify: one esbuild bundle per function (Netlify's `node_bundler = "esbuild"`), the
 *     packages netlify.toml lists in `external_node_modules` left in node_modules;
 *   - vercel: the function directory `npm run vercel-build` writes (scripts/build-vercel.ts: the
 *     same bundle, with the node_modules files @vercel/nft traces from it); for a baseline commit
 *     without that build step, every TypeScript file compiled on its own and resolved file by
 *     file at run time, as Vercel's own Node builder ships it (it does not bundle).
 * A fresh Node process imports one compiled function and serves one representative request
 * (scripts/bench/cold-child.mjs), timed from spawn to the response. Runs are paired: each round
 * runs the bare floor (scripts/bench/bare-child.mjs) and then every function once, so a load
 * spike on the shared machine hits the floor and the functions alike. The child also reports
 * its own CPU time and peak RSS (less sensitive to the machine's load than wall time).
 * Sizes: what a deployment uploads for the function (the Netlify bundle plus its external
 * packages; the Vercel function directory), with the largest packages.
 */
import { execSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { buildVercelOutput } from "../build-vercel.js";
import { apiRoutes, bundleRoute, lazyPackages } from "../deploy/bundle.js";
import { representative, type BenchRequest } from "./scenarios.js";

export type Mode = "netlify" | "vercel";

/**
 * wallMs: the process's own clock at the response (from its start); spawnMs: the harness's, from
 * spawn to the line; exitMs: the harness's, from spawn to the process's exit (the whole process,
 * as hyperfine -N times it from outside).
 */
export interface Sample { wallMs: number; spawnMs: number; exitMs: number; cpuMs: number; rssMiB: number }

export interface ColdStartRow extends Sample {
  name: string;
  mode: Mode;
  status: number | string;
  p90Ms: number;
  uploadMB: number;
  uploadFiles: number;
  largest: string;
}

export interface ColdStartResult {
  floor: Sample;
  /** A process that only builds a Request and a Response (scripts/bench/platform-child.mjs): what a platform's runtime adds to any web handler. */
  platformFloor: Sample;
  rows: ColdStartRow[];
  sdks: SdkImportRow[];
  builds: Builds;
  runs: number;
  sdkRuns: number;
}

/** The code of another commit (api/, lib/, netlify.toml) under `dir`, to build and time in the same run. */
export function extractCommit(commit: string, dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execSync(`git archive ${commit} api lib netlify.toml | tar -x -C ${JSON.stringify(dir)}`);
  return dir;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (f.endsWith(".ts") && !f.endsWith(".d.ts")) out.push(p);
  }
  return out;
}

/**
 * Where each function's compiled module is, per platform. netlify: one bundle per function
 * (scripts/deploy/bundle.ts, as Netlify's esbuild bundler builds it). vercel: "output" is what
 * `npm run vercel-build` deploys (scripts/build-vercel.ts: the same bundle in a Build Output
 * function directory with its traced node_modules); "files" is how Vercel's own Node builder
 * ships a route without that build step (each TypeScript file compiled alone, resolved file by
 * file from node_modules at run time), the way commits before the build step deployed.
 */
export interface Builds { netlify: string; vercel: string; vercelLayout: "output" | "files" }

/** Builds every function both ways under `dir`, from the sources under `src` (another commit's, for the baseline). */
export async function buildFunctions(dir: string, src = "."): Promise<Builds> {
  rmSync(dir, { recursive: true, force: true });
  const netlify = path.join(dir, "netlify");
  const vercel = path.join(dir, "vercel");
  for (const n of apiRoutes(path.join(src, "api"))) await bundleRoute(n, path.join(netlify, `${n}.mjs`), src);
  if (path.resolve(src) === path.resolve(".")) {
    await buildVercelOutput(vercel);
    return { netlify, vercel, vercelLayout: "output" };
  }
  await build({
    entryPoints: [...tsFiles(path.join(src, "api")), ...tsFiles(path.join(src, "lib"))], outdir: vercel, outbase: src, bundle: false, format: "esm", platform: "node",
    target: "node24", logLevel: "silent",
  });
  return { netlify, vercel, vercelLayout: "files" };
}

/** The directory of a function's Vercel Build Output (its upload). */
const vercelFuncDir = (builds: Builds, fn: string) => path.join(builds.vercel, "functions", "api", `${fn}.func`);

const moduleOf = (builds: Builds, mode: Mode, fn: string) =>
  pathToFileURL(
    mode === "netlify" ? path.join(builds.netlify, `${fn}.mjs`)
    : builds.vercelLayout === "output" ? path.join(vercelFuncDir(builds, fn), "api", `${fn}.js`)
    : path.join(builds.vercel, "api", `${fn}.js`),
  ).href;

function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ sample: Sample; status: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let done = false;
    let result: { sample: Sample; status: string } | undefined;
    child.stdout.on("data", (d: Buffer) => {
      out += d;
      if (!done && out.includes("\n")) {
        done = true;
        const spawnMs = performance.now() - started;
        const [, status, cpu, rss, own] = out.split("\n")[0]!.split(" ");
        result = { sample: { wallMs: Number(own), spawnMs, exitMs: NaN, cpuMs: Number(cpu), rssMiB: Number(rss) / 1024 }, status: status ?? "?" };
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d));
    // The sample is the response line; the next child starts only after this one has exited, so
    // its deferred work and exit never overlap the next cold start (hyperfine runs them the same way).
    child.on("exit", (code) => {
      if (!result) return reject(new Error(`exit ${code}: ${err.slice(0, 300)}`));
      result.sample.exitMs = performance.now() - started;
      resolve(result);
    });
  });
}

export const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
const medianSample = (xs: Sample[]): Sample => ({
  wallMs: median(xs.map((x) => x.wallMs)), spawnMs: median(xs.map((x) => x.spawnMs)), exitMs: median(xs.map((x) => x.exitMs)), cpuMs: median(xs.map((x) => x.cpuMs)), rssMiB: median(xs.map((x) => x.rssMiB)),
});
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : NaN);

/** The request spec cold-child.mjs reads: the module to import and the request to serve. */
const childRequest = (module: string, req: BenchRequest) =>
  JSON.stringify({ module, method: req.method, url: `http://localhost:3000${req.path}`, headers: req.headers, body: req.body });

/** A function's representative request for cold-child.mjs (fresh ids and signatures: webhooks claim each delivery once). */
export function coldRequest(builds: Builds, mode: Mode, fn: string, ctx: { productId: string }): string | null {
  const req = representative(fn, ctx);
  return req ? childRequest(moduleOf(builds, mode, fn), req) : null;
}

/**
 * A row's cold-start column (over the floor, the process's own clock to the response) against
 * the same processes timed whole by the harness (spawn to exit, as hyperfine -N does).
 */
export function wholeProcessCheck(c: ColdStartResult, row: ColdStartRow): { benchOver: number; wholeOver: number; ratio: number } {
  const benchOver = row.wallMs - c.floor.wallMs;
  const wholeOver = row.exitMs - c.floor.exitMs;
  return { benchOver, wholeOver, ratio: benchOver / wholeOver };
}

/** Upload size of a function: its files, MB, and the largest packages in it. */
interface UploadSize { mb: number; files: number; largest: string }

function dirBytes(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, f.name);
    if (f.isDirectory()) {
      const d = dirBytes(p);
      bytes += d.bytes;
      files += d.files;
    } else if (f.isFile()) {
      bytes += statSync(p).size;
      files++;
    }
  }
  return { bytes, files };
}

/** An external package and its dependencies, as node_modules holds them (what Netlify uploads for it). */
function packageClosure(name: string, seen = new Set<string>()): Set<string> {
  if (seen.has(name)) return seen;
  const dir = path.join("node_modules", name);
  try {
    const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    seen.add(name);
    for (const d of Object.keys(pkg.dependencies ?? {})) packageClosure(d, seen);
  } catch {
    /* not installed (optional) */
  }
  return seen;
}

const topPackages = (bytes: Map<string, number>, n = 3) =>
  [...bytes].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${k} ${(v / 1e6).toFixed(2)}`).join(", ");

/** Bytes per top-level package under a node_modules folder. */
function packagesIn(nodeModules: string, into: Map<string, number>): void {
  for (const entry of readdirSync(nodeModules)) {
    const names = entry.startsWith("@") ? readdirSync(path.join(nodeModules, entry)).map((n) => `${entry}/${n}`) : [entry];
    for (const name of names) {
      into.set(name, (into.get(name) ?? 0) + dirBytes(path.join(nodeModules, name)).bytes);
    }
  }
}

async function uploadSizes(fn: string, builds: Builds): Promise<Record<Mode, UploadSize>> {
  // Netlify: the bundle file, plus each external package with its dependencies (whole folders).
  const bundleFile = path.join(builds.netlify, `${fn}.mjs`);
  const bundle = statSync(bundleFile).size;
  const source = readFileSync(bundleFile, "utf8");
  const ext = new Set<string>();
  for (const e of lazyPackages()) if (source.includes(`"${e}"`)) packageClosure(e, ext);
  const byPkg = new Map<string, number>([["(bundle)", bundle]]);
  let files = 1;
  for (const p of ext) {
    const d = dirBytes(path.join("node_modules", p));
    byPkg.set(p, d.bytes);
    files += d.files;
  }
  const netlifyBytes = [...byPkg.values()].reduce((a, b) => a + b, 0);
  // Vercel: the function's Build Output directory as it is uploaded (bundle, traced node_modules files, migrations, kb).
  const funcDir = vercelFuncDir(builds, fn);
  const all = dirBytes(funcDir);
  const vercelPkgs = new Map<string, number>();
  const nodeModules = path.join(funcDir, "node_modules");
  if (readdirSync(funcDir).includes("node_modules")) packagesIn(nodeModules, vercelPkgs);
  return {
    netlify: { mb: netlifyBytes / 1e6, files, largest: topPackages(byPkg) },
    vercel: { mb: all.bytes / 1e6, files: all.files, largest: topPackages(vercelPkgs) },
  };
}

/** What importing each heavy SDK eagerly would add to every cold start (we load them lazily). */
export const LAZY_SDKS = ["@sentry/node", "stripe", "ai", "@ai-sdk/openai-compatible", "@ai-sdk/google", "@googleapis/drive", "nodemailer", "@supabase/supabase-js", "zod", "postgres"];

export interface SdkImportRow { name: string; wallMs: number; cpuMs: number }

export async function measureColdStarts(
  env: Record<string, string>,
  ctx: { productId: string },
  runs: number,
  opts: {
    only?: string[];
    vercelOnly?: string[];
    baseline?: { commit: string; only: string[]; vercelOnly: string[] };
    sdkRuns?: number;
    log?: (m: string) => void;
    /**
     * Run after each round, untimed, as the platform runs the worker route in an invocation of
     * its own: the channel worker's request (the webhooks' answers the rounds queued), so the
     * next round's functions (the cron's leftovers drain) start from an empty queue.
     */
    workerRequest?: () => BenchRequest;
  } = {},
): Promise<ColdStartResult> {
  const builds = await buildFunctions(path.resolve(".bench/functions"));
  const names = apiRoutes().filter((n) => !opts.only || opts.only.includes(n));
  const childEnv = { ...process.env, ...env, NODE_ENV: "production" };
  type Variant = { name: string; fn: string; mode: Mode; env: Record<string, string>; builds: Builds; baseline?: boolean };
  const variants: Variant[] = [
    ...names.map((fn) => ({ name: fn, fn, mode: "netlify" as Mode, env: {}, builds })),
    ...names.filter((n) => !opts.vercelOnly || opts.vercelOnly.includes(n)).map((fn) => ({ name: fn, fn, mode: "vercel" as Mode, env: {}, builds })),
    // Sentry configured and no error: the SDK must not load.
    ...(names.includes("health") ? [{ name: "health, SENTRY_DSN set, no error", fn: "health", mode: "netlify" as Mode, env: { SENTRY_DSN: "http://public@127.0.0.1:9/1" }, builds }] : []),
  ];
  if (opts.baseline) {
    const src = extractCommit(opts.baseline.commit, path.resolve(".bench/baseline-src"));
    const baselineBuilds = await buildFunctions(path.resolve(".bench/baseline"), src);
    const label = `before (${opts.baseline.commit.slice(0, 7)})`;
    for (const fn of opts.baseline.only) variants.push({ name: `${fn}, ${label}`, fn, mode: "netlify", env: {}, builds: baselineBuilds, baseline: true });
    for (const fn of opts.baseline.vercelOnly) variants.push({ name: `${fn}, ${label}`, fn, mode: "vercel", env: {}, builds: baselineBuilds, baseline: true });
  }
  for (let i = variants.length - 1; i >= 0; i--) if (!representative(variants[i]!.fn, ctx)) variants.splice(i, 1);
  const floor: Sample[] = [];
  const platformFloor: Sample[] = [];
  const samples = new Map<string, { samples: Sample[]; status: string }>();
  const key = (v: { name: string; mode: Mode }) => `${v.name}|${v.mode}`;
  for (let i = 0; i < runs; i++) {
    floor.push((await runChild(["scripts/bench/bare-child.mjs"], childEnv)).sample);
    platformFloor.push((await runChild(["scripts/bench/platform-child.mjs"], childEnv)).sample);
    for (const v of variants) {
      const s = samples.get(key(v)) ?? { samples: [], status: "?" };
      samples.set(key(v), s);
      if (s.status.startsWith("error")) continue;
      try {
        const r = await runChild(["scripts/bench/cold-child.mjs"], { ...childEnv, ...v.env, COLD_REQUEST: coldRequest(v.builds, v.mode, v.fn, ctx)! });
        s.samples.push(r.sample);
        s.status = r.status;
      } catch (err) {
        s.status = `error: ${(err as Error).message.slice(0, 120)}`;
      }
    }
    if (opts.workerRequest) {
      const spec = childRequest(moduleOf(builds, "netlify", "channel-worker"), opts.workerRequest());
      const { status } = await runChild(["scripts/bench/cold-child.mjs"], { ...childEnv, COLD_REQUEST: spec });
      if (status !== "202") throw new Error(`the channel worker answered ${status}`);
    }
    opts.log?.(`cold start round ${i + 1}/${runs}`);
  }
  const sizes = new Map<string, Record<Mode, UploadSize>>();
  for (const fn of names) sizes.set(fn, await uploadSizes(fn, builds).catch(() => ({ netlify: { mb: NaN, files: NaN, largest: "" }, vercel: { mb: NaN, files: NaN, largest: "" } })));
  const rows: ColdStartRow[] = variants.map((v) => {
    const s = samples.get(key(v))!;
    const size = v.baseline ? undefined : sizes.get(v.fn)?.[v.mode];
    return {
      name: v.name, mode: v.mode, status: Number(s.status) || s.status,
      ...medianSample(s.samples), p90Ms: pct(s.samples.map((x) => x.wallMs), 0.9),
      uploadMB: size?.mb ?? NaN, uploadFiles: size?.files ?? NaN, largest: size?.largest ?? "",
    };
  });
  const sdks: SdkImportRow[] = [];
  if (opts.sdkRuns !== 0) {
    for (const sdk of LAZY_SDKS) {
      const base: Sample[] = [];
      const withSdk: Sample[] = [];
      const script = `const { peakRssKiB } = await import(${JSON.stringify(pathToFileURL(path.resolve("scripts/bench/peak-rss.mjs")).href)}); await import(${JSON.stringify(sdk)}); const c = process.cpuUsage(); console.log("served 0", ((c.user + c.system) / 1000).toFixed(1), peakRssKiB(), performance.now().toFixed(1))`;
      for (let i = 0; i < (opts.sdkRuns ?? runs); i++) {
        base.push((await runChild(["scripts/bench/bare-child.mjs"], childEnv)).sample);
        withSdk.push((await runChild(["--input-type=module", "-e", script], childEnv)).sample);
      }
      sdks.push({ name: sdk, wallMs: median(withSdk.map((x) => x.wallMs)) - median(base.map((x) => x.wallMs)), cpuMs: median(withSdk.map((x) => x.cpuMs)) - median(base.map((x) => x.cpuMs)) });
    }
  }
  return {
    floor: medianSample(floor),
    platformFloor: medianSample(platformFloor),
    rows, sdks, builds, runs, sdkRuns: opts.sdkRuns ?? runs,
  };
}
