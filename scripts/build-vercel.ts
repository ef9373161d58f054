/**
 * Builds what Vercel deploys, in Vercel's Build Output API (v3): `.vercel/output/`, one function
 * per api/ route, each a single esbuild bundle (scripts/deploy/bundle.ts) instead of Vercel's
 * default of compiling every TypeScript file on its own and resolving them file by file at each
 * cold start (about 100–120 ms slower to start that way, BENCHMARKS.md).
 *
 * Vercel runs it: vercel.json's `builds` hands package.json to @vercel/static-build, which runs
 * the `vercel-build` script and, finding `.vercel/output/config.json`, deploys that directory as
 * it is. vercel.json keeps the rest (crons, headers, rewrites); the Vercel CLI merges them in.
 *
 *   npm run vercel-build                      # writes .vercel/output
 *   npx tsx scripts/build-vercel.ts --out DIR  # somewhere else (the tests)
 *
 * Each `api/<route>.func/` holds what the function reads at run time and nothing else:
 *   - api/<route>.js, the bundle, with package.json {"type":"module"} beside it;
 *   - node_modules/: the files of the lazily loaded packages it can import, as @vercel/nft
 *     (Vercel's own tracer) finds them from the bundle;
 *   - the folders netlify.toml's `included_files` names, supabase/migrations/ and kb/demo/ (read
 *     through process.cwd(), which is the function's directory on Vercel);
 *   - .vc-config.json: the Node.js launcher, the same settings Vercel's own Node builder writes
 *     (handler, runtime from package.json's engines, helpers), and the time limit.
 * Static files: public/ becomes static/.
 *
 * esbuild, tsx and @vercel/nft are dependencies, not devDependencies: a Vercel project with
 * NODE_ENV=production set makes npm skip devDependencies, and the build would fail without them
 * (none of them reaches a function: each function holds only what its bundle traces).
 */
import { copyFileSync, cpSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { nodeFileTrace } from "@vercel/nft";
import { apiRoutes, bundleRoute, runtimeDirs } from "./deploy/bundle.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Seconds a function may run (Vercel's `maxDuration`). The assistant's routes get longer. */
export const MAX_DURATION_S: Record<string, number> = { chat: 60, "whatsapp-webhook": 60, "messenger-webhook": 60 };
const DEFAULT_MAX_DURATION_S = 30;

/** "24.x" in package.json's engines → Vercel's "nodejs24.x". */
function nodeRuntime(): string {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { engines?: { node?: string } };
  const major = pkg.engines?.node?.match(/(\d+)/)?.[1];
  if (!major) throw new Error("package.json: engines.node must name the Node.js major version (e.g. 24.x)");
  return `nodejs${major}.x`;
}

export interface VercelFunctionConfig {
  handler: string;
  runtime: string;
  launcherType: "Nodejs";
  shouldAddHelpers: boolean;
  shouldAddSourcemapSupport: boolean;
  maxDuration: number;
}

/** A hard link where the file system allows it (28 functions share the same package files), else a copy. */
function placeFile(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** nft's parse cache, shared by every function's trace (they reach the same packages). */
type TraceCache = NonNullable<Parameters<typeof nodeFileTrace>[1]>["cache"];

async function buildFunction(route: string, outDir: string, runtime: string, cache: TraceCache): Promise<void> {
  const funcDir = path.join(outDir, "functions", "api", `${route}.func`);
  const handler = `api/${route}.js`;
  const bundle = path.join(funcDir, handler);
  await bundleRoute(route, bundle, root);
  writeFileSync(path.join(funcDir, "package.json"), `${JSON.stringify({ type: "module" })}\n`);

  // The lazily loaded packages the bundle can import, file by file, as Vercel's tracer sees them.
  const { fileList } = await nodeFileTrace([bundle], { base: "/", processCwd: root, cache });
  for (const f of fileList) {
    const abs = path.join("/", f);
    const rel = path.relative(root, abs);
    if (!rel.startsWith(`node_modules${path.sep}`)) continue;
    mkdirSync(path.dirname(path.join(funcDir, rel)), { recursive: true });
    placeFile(abs, path.join(funcDir, rel));
  }
  // What a function reads at run time (migrations for an embedded database, the demo knowledge base).
  for (const dir of runtimeDirs(root)) cpSync(path.join(root, dir), path.join(funcDir, dir), { recursive: true });

  const config: VercelFunctionConfig = {
    handler,
    runtime,
    launcherType: "Nodejs",
    shouldAddHelpers: true,
    shouldAddSourcemapSupport: false,
    maxDuration: MAX_DURATION_S[route] ?? DEFAULT_MAX_DURATION_S,
  };
  writeFileSync(path.join(funcDir, ".vc-config.json"), `${JSON.stringify(config, null, 2)}\n`);
}

/** Writes the whole Build Output directory (`only`: some routes, for tests); returns the routes built. */
export async function buildVercelOutput(outDir = path.join(root, ".vercel", "output"), opts: { only?: string[] } = {}): Promise<string[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  if (existsSync(path.join(root, "public"))) cpSync(path.join(root, "public"), path.join(outDir, "static"), { recursive: true });
  const runtime = nodeRuntime();
  const routes = apiRoutes(path.join(root, "api")).filter((r) => !opts.only || opts.only.includes(r));
  const cache: TraceCache = {};
  for (const route of routes) await buildFunction(route, outDir, runtime, cache);
  // Routes, headers and crons come from vercel.json (the Vercel CLI merges them with this file).
  writeFileSync(path.join(outDir, "config.json"), `${JSON.stringify({ version: 3 }, null, 2)}\n`);
  return routes;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--out");
  const outDir = i > 0 ? path.resolve(process.argv[i + 1]!) : undefined;
  const started = performance.now();
  const routes = await buildVercelOutput(outDir);
  console.log(`Vercel Build Output: ${routes.length} functions in ${((performance.now() - started) / 1000).toFixed(1)} s → ${outDir ?? ".vercel/output"}`);
}
