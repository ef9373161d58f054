/**
 * What Vercel deploys: `npm run vercel-build` (scripts/build-vercel.ts) writes the Build Output
 * API directory. Each function directory must run on its own, as Vercel runs it: copied out of
 * the repository (no node_modules above it to fall back on), started with its directory as the
 * working directory, with the platform's variables and no database configured (PGlite, the
 * migrations and the demo knowledge base read from the function's own files).
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_DURATION_S, buildVercelOutput } from "../../scripts/build-vercel.js";

const ROUTES = ["health", "chat", "cron/cleanup"];
const out = path.resolve(".vercel", `test-output-${process.pid}`);
const scratch = mkdtempSync(path.join(os.tmpdir(), "comptoir-vercel-func-"));

beforeAll(async () => {
  await buildVercelOutput(out, { only: ROUTES });
}, 240_000);
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

const funcDir = (route: string) => path.join(out, "functions", "api", `${route}.func`);
const readJson = <T>(file: string) => JSON.parse(readFileSync(file, "utf8")) as T;

/** Serves one request with a function directory copied outside the repository, as Vercel's Node launcher would import it. */
function serveAlone(route: string, request: { method: string; path: string; headers?: Record<string, string>; body?: string }) {
  const dir = path.join(scratch, route.replace(/\//g, "-"));
  cpSync(funcDir(route), dir, { recursive: true });
  const config = readJson<{ handler: string }>(path.join(dir, ".vc-config.json"));
  const script = `
    const mod = await import(${JSON.stringify(pathToFileURL(path.join(dir, config.handler)).href)});
    const r = ${JSON.stringify(request)};
    const res = await mod[r.method](new Request("https://shop.example" + r.path, { method: r.method, headers: r.headers, body: r.body }));
    process.stdout.write("\\nRESULT " + JSON.stringify({ status: res.status, body: await res.json() }) + "\\n");
    process.exit(0);`;
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: dir, VERCEL: "1", VERCEL_ENV: "preview", DATA_DIR: path.join(dir, "data"), CRON_SECRET: "cron-secret-0123456789abcdef" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("exit", (code) => {
      try {
        // The function logs JSON lines to stdout too; the result is the line the script marks.
        const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
        resolve(JSON.parse(line!.slice("RESULT ".length)) as { status: number; body: Record<string, unknown> });
      } catch {
        reject(new Error(`exit ${code}: ${stdout.slice(0, 300)} ${stderr.slice(-1500)}`));
      }
    });
  });
}

describe("Vercel Build Output (npm run vercel-build)", () => {
  it("is what vercel.json deploys: package.json through @vercel/static-build, no per-file functions", () => {
    const vercel = readJson<{ builds?: { src: string; use: string }[]; functions?: unknown; crons?: unknown[] }>("vercel.json");
    expect(vercel.builds).toEqual([{ src: "package.json", use: "@vercel/static-build" }]);
    // Vercel refuses `functions` together with `builds`; the time limits are in each .vc-config.json.
    expect(vercel.functions).toBeUndefined();
    expect(readJson<{ scripts: Record<string, string> }>("package.json").scripts["vercel-build"]).toBe("tsx scripts/build-vercel.ts");
  });

  it("writes config.json (version 3), public/ as static files, and one function per route with Vercel's Node launcher", () => {
    expect(readJson(path.join(out, "config.json"))).toEqual({ version: 3 });
    for (const f of readdirSync("public")) expect(existsSync(path.join(out, "static", f))).toBe(true);
    for (const route of ROUTES) {
      const config = readJson<Record<string, unknown>>(path.join(funcDir(route), ".vc-config.json"));
      expect(config).toMatchObject({ handler: `api/${route}.js`, runtime: "nodejs24.x", launcherType: "Nodejs", maxDuration: MAX_DURATION_S[route] ?? 30 });
      expect(readJson(path.join(funcDir(route), "package.json"))).toEqual({ type: "module" });
      // One bundle, not the source tree: the route's own code is not shipped as separate files.
      expect(existsSync(path.join(funcDir(route), "lib"))).toBe(false);
    }
    expect(readJson<{ maxDuration: number }>(path.join(funcDir("chat"), ".vc-config.json")).maxDuration).toBe(60);
  });

  it("serves health from the function's directory alone (PGlite and its migrations from the function's files)", { timeout: 120_000 }, async () => {
    const res = await serveAlone("health", { method: "GET", path: "/api/health" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", store: "pglite", platform: "vercel", database: { reachable: true } });
  });

  it("answers a chat turn from the function's directory alone (catalogue, demo knowledge, deferred work through @vercel/functions)", { timeout: 120_000 }, async () => {
    const res = await serveAlone("chat", {
      method: "POST",
      path: "/api/chat",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: "Do you have dresses?" }),
    });
    expect(res.status).toBe(200);
    const reply = res.body.reply as { text: string; products: unknown[] };
    expect(reply.text.trim()).not.toBe("");
    expect(reply.products.length).toBeGreaterThan(0);
  });

  it("runs the nested cron route (api/cron/cleanup.js) with its secret", { timeout: 120_000 }, async () => {
    const res = await serveAlone("cron/cleanup", { method: "GET", path: "/api/cron/cleanup", headers: { authorization: "Bearer cron-secret-0123456789abcdef" } });
    expect(res.status).toBe(200);
  });
});
