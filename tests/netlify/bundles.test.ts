/**
 * The Netlify bundles as netlify.toml builds them (esbuild, `external_node_modules` left in
 * node_modules): a package kept external must only be reached through `import()`. esbuild
 * inlines a lazily imported module into the function's file and hoists that module's static
 * imports of external packages to the top of the file, so one static `import ... from "ai"`
 * anywhere in the graph would load the AI SDK at every cold start of every function holding
 * the assistant (it happened once: chat and the webhooks got ~100 ms slower).
 *
 * Classic zod (`zod`) builds heavy schema classes and loads its locale at import: the functions
 * a shopper or Meta waits for use zod/mini on their static import graph (lib/route/validate.ts).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { lazyPackages } from "../../scripts/deploy/bundle.js";

const externals = lazyPackages();
const functions = readdirSync("netlify/functions").filter((f) => f.endsWith(".ts"));
const packageOf = (spec: string) => spec.split("/").slice(0, spec.startsWith("@") ? 2 : 1).join("/");

async function bundle(entry: string): Promise<Metafile> {
  const r = await build({
    entryPoints: [path.join("netlify/functions", entry)],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node24",
    external: externals,
    write: false,
    metafile: true,
    outdir: "/tmp/comptoir-bundle-test",
    logLevel: "silent",
  });
  return r.metafile;
}

describe("Netlify bundles", () => {
  it("keep the lazily loaded SDKs external", () => {
    for (const pkg of ["@sentry/node", "stripe", "ai", "@ai-sdk/google", "@ai-sdk/openai-compatible", "nodemailer", "@googleapis/drive", "@electric-sql/pglite"]) {
      expect(externals).toContain(pkg);
    }
  });

  it("reach every external package through import() only, never a static import", { timeout: 120_000 }, async () => {
    const statics: string[] = [];
    let dynamics = 0;
    for (const fn of functions) {
      const meta = await bundle(fn);
      for (const out of Object.values(meta.outputs)) {
        for (const imp of out.imports) {
          if (!imp.external || !externals.includes(packageOf(imp.path))) continue;
          if (imp.kind === "dynamic-import") dynamics++;
          else statics.push(`${fn}: ${imp.kind} "${imp.path}"`);
        }
      }
    }
    expect(functions.length).toBeGreaterThan(20);
    expect(dynamics).toBeGreaterThan(0); // the check sees the lazy imports it is about
    expect(statics).toEqual([]);
  });

  it("load no classic zod before a shopper's or Meta's request is answered", { timeout: 120_000 }, async () => {
    const reached: string[] = [];
    for (const name of ["chat", "lead", "checkout", "quote", "coupon", "health", "whatsapp-webhook", "messenger-webhook", "stripe-webhook"]) {
      const entry = functions.find((f) => f === `${name}.ts` || f === `${name}.mts`);
      expect(entry, name).toBeDefined();
      const { inputs } = await bundle(entry!);
      // Static imports only, from the entry: what the function evaluates at every cold start.
      const start = Object.keys(inputs).find((f) => f.endsWith(`netlify/functions/${entry}`))!;
      const seen = new Set([start]);
      const queue = [start];
      while (queue.length) {
        for (const imp of inputs[queue.shift()!]?.imports ?? []) {
          if (imp.kind !== "import-statement" || seen.has(imp.path)) continue;
          seen.add(imp.path);
          queue.push(imp.path);
        }
      }
      expect(seen.size, name).toBeGreaterThan(20); // the walk follows the graph
      expect([...seen].some((f) => f.includes("node_modules/zod/v4/mini/")), name).toBe(true);
      reached.push(...[...seen].filter((f) => f.includes("node_modules/zod/v4/classic/")).map((f) => `${name}: ${f}`));
    }
    expect(reached).toEqual([]);
  });
});
