/**
 * Cold start per function: each api/ file compiled to JavaScript as a deployment would ship it
 * (esbuild, our code bundled, packages left in node_modules, dynamic imports kept lazy), then a
 * fresh Node process imports it and serves one representative request. Timed from spawn to the
 * response, median of N runs, beside bare `node -e 0`. Also the size of each function's import
 * graph: eager (what loads before the first response) and traced (including lazy imports).
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";
import { representative } from "./scenarios.js";

export interface ColdStartRow { name: string; status: number | string; medianMs: number; p90Ms: number; eagerMB: number; tracedMB: number; eagerFiles: number }

export function apiFunctions(dir = "api"): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir)) {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) out.push(...apiFunctions(p));
    else if (f.endsWith(".ts")) out.push(p.replace(/^api\//, "").replace(/\.ts$/, ""));
  }
  return out.sort();
}

function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; line: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let done = false;
    child.stdout.on("data", (d: Buffer) => {
      out += d;
      if (!done && out.includes("\n")) {
        done = true;
        resolve({ ms: performance.now() - started, line: out.split("\n")[0]! });
      }
    });
    child.stderr.on("data", (d: Buffer) => (err += d));
    child.on("exit", (code) => {
      if (!done) (code === 0 ? resolve({ ms: performance.now() - started, line: "" }) : reject(new Error(`exit ${code}: ${err.slice(0, 500)}`)));
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

async function graphSizes(entry: string): Promise<{ eagerMB: number; tracedMB: number; eagerFiles: number }> {
  const res = await build({
    entryPoints: [entry], bundle: true, splitting: true, format: "esm", platform: "node", target: "node24",
    outdir: "/tmp/comptoir-bench-graph", write: false, metafile: true, logLevel: "silent",
    loader: { ".node": "empty", ".wasm": "empty", ".data": "empty" },
  });
  const meta: Metafile = res.metafile;
  const entryOut = Object.entries(meta.outputs).find(([, o]) => o.entryPoint)![0];
  const eager = new Set<string>();
  const visit = (out: string) => {
    if (eager.has(out)) return;
    eager.add(out);
    for (const imp of meta.outputs[out]?.imports ?? []) if (imp.kind === "import-statement" && meta.outputs[imp.path]) visit(imp.path);
  };
  visit(entryOut);
  const inputsOf = (outs: Iterable<string>) => {
    const s = new Set<string>();
    for (const o of outs) for (const i of Object.keys(meta.outputs[o]!.inputs)) s.add(i);
    return s;
  };
  const bytes = (s: Set<string>) => [...s].reduce((n, i) => n + (meta.inputs[i]?.bytes ?? 0), 0);
  const eagerInputs = inputsOf(eager);
  const all = inputsOf(Object.keys(meta.outputs));
  return { eagerMB: bytes(eagerInputs) / 1e6, tracedMB: bytes(all) / 1e6, eagerFiles: eagerInputs.size };
}

/** What importing each heavy SDK eagerly would add to every cold start (we load them lazily). */
export const LAZY_SDKS = ["@sentry/node", "stripe", "ai", "@ai-sdk/openai-compatible", "@ai-sdk/google", "@googleapis/drive", "nodemailer", "@supabase/supabase-js"];

export interface SdkImportRow { name: string; medianMs: number }

export async function measureColdStarts(env: Record<string, string>, ctx: { productId: string }, runs: number): Promise<{ floorMs: number; rows: ColdStartRow[]; sdks: SdkImportRow[] }> {
  const outdir = path.resolve(".bench/functions");
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const names = apiFunctions();
  await build({
    entryPoints: names.map((n) => `api/${n}.ts`), outdir, outbase: "api", bundle: true, splitting: true, format: "esm",
    platform: "node", target: "node24", packages: "external", outExtension: { ".js": ".mjs" }, logLevel: "silent",
  });
  const childEnv = { ...process.env, ...env, NODE_ENV: "production" };
  const floors: number[] = [];
  for (let i = 0; i < runs; i++) floors.push((await timeProcess(["-e", "console.log('x')"], childEnv)).ms);
  const rows: ColdStartRow[] = [];
  // The same function with Sentry configured and no error: the SDK must not load.
  const variants: { name: string; fn: string; env: Record<string, string> }[] = [
    ...names.map((n) => ({ name: n, fn: n, env: {} })),
    { name: "health, SENTRY_DSN set, no error", fn: "health", env: { SENTRY_DSN: "http://public@127.0.0.1:9/1" } },
  ];
  for (const { name, fn, env: extraEnv } of variants) {
    const req = representative(fn, ctx);
    if (!req) continue;
    const spec = JSON.stringify({ module: pathToFileURL(path.join(outdir, `${fn}.mjs`)).href, method: req.method, url: `http://localhost:3000${req.path}`, headers: req.headers, body: req.body });
    const times: number[] = [];
    let status: number | string = "?";
    for (let i = 0; i < runs; i++) {
      const fresh = representative(fn, ctx)!; // new ids/signatures each run (webhooks are claimed once)
      const s = JSON.stringify({ ...JSON.parse(spec), headers: fresh.headers, body: fresh.body });
      try {
        const r = await timeProcess(["scripts/bench/cold-child.mjs"], { ...childEnv, ...extraEnv, COLD_REQUEST: s });
        times.push(r.ms);
        status = Number(r.line.replace("served ", "")) || r.line;
      } catch (err) {
        status = `error: ${(err as Error).message.slice(0, 120)}`;
        break;
      }
    }
    const sizes = await graphSizes(`api/${fn}.ts`).catch(() => ({ eagerMB: NaN, tracedMB: NaN, eagerFiles: NaN }));
    rows.push({ name, status, medianMs: times.length ? median(times) : NaN, p90Ms: times.length ? pct(times, 0.9) : NaN, ...sizes });
  }
  const sdks: SdkImportRow[] = [];
  for (const sdk of LAZY_SDKS) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      times.push((await timeProcess(["--input-type=module", "-e", `await import(${JSON.stringify(sdk)}); console.log("x")`], childEnv)).ms);
    }
    sdks.push({ name: sdk, medianMs: median(times) - median(floors) });
  }
  return { floorMs: median(floors), rows, sdks };
}
