/**
 * How one api/ route becomes one deployable file, the same for every platform: esbuild bundles
 * the route with everything it imports, except the packages netlify.toml lists in
 * `external_node_modules` (the SDKs reached only through `import()`: an error report, Stripe, an
 * LLM provider, the embedded database...). Those stay files in node_modules, loaded only on the
 * path that needs them, instead of being parsed at every cold start.
 *
 * Used by scripts/build-vercel.ts (what Vercel deploys) and the bench (what it times); Netlify
 * runs the same bundling itself (`node_bundler = "esbuild"`).
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The quoted strings of a list in netlify.toml (`key = [...]`), the one place each list is written. */
function netlifyList(key: string, src: string): string[] {
  const toml = readFileSync(path.join(src, "netlify.toml"), "utf8");
  const block = toml.match(new RegExp(`${key}\\s*=\\s*\\[([\\s\\S]*?)\\]`));
  return block ? [...block[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [];
}

/** The packages kept out of the bundles (netlify.toml's `external_node_modules`). */
export const lazyPackages = (src = "."): string[] => netlifyList("external_node_modules", src);

/** The folders a function reads at run time (netlify.toml's `included_files`, "dir/**" globs). */
export const runtimeDirs = (src = "."): string[] => netlifyList("included_files", src).map((g) => g.replace(/\/\*\*$/, ""));

/** Every route under api/, as "chat", "cron/cleanup", ... (files starting with "_" or "." are not routes). */
export function apiRoutes(dir = path.join(root, "api"), prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith("_") || entry.startsWith(".")) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...apiRoutes(full, `${prefix}${entry}/`));
    else if (entry.endsWith(".ts") && !entry.endsWith(".d.ts") && !entry.endsWith(".test.ts")) out.push(`${prefix}${entry.slice(0, -3)}`);
  }
  return out;
}

/** CommonJS packages inside an ES module bundle still call `require`. */
const REQUIRE_BANNER = "import { createRequire as __cjsRequire } from 'node:module'; const require = __cjsRequire(import.meta.url);";

/** Bundles api/<route>.ts (under `src`) into the single ES module file `outFile`. */
export async function bundleRoute(route: string, outFile: string, src = "."): Promise<void> {
  await build({
    entryPoints: [path.join(src, "api", `${route}.ts`)],
    outfile: outFile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node24",
    external: lazyPackages(src),
    banner: { js: REQUIRE_BANNER },
    logLevel: "warning",
  });
}
