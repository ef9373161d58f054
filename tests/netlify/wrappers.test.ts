import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { Context } from "@netlify/functions";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { netlifyHandler, type NetlifyFunction } from "../../netlify/adapter.js";
import { loadConfig } from "../../lib/config.js";
import { METHODS, route, type RouteHandlers } from "../../lib/route.js";
import type { Services } from "../../lib/services.js";
import { PATH_ALIASES, SCHEDULED, apiRoutes, check, wrappers } from "../../scripts/gen-netlify-functions.js";
import { createTestServices, req } from "../helpers/services.js";

const CRON_SECRET = "cron-secret-0123456789abcdef";
let services: Services;
beforeAll(async () => {
  services = await createTestServices({ CRON_SECRET });
});
afterAll(() => services.store.close());

function fakeContext(deployContext = "production") {
  const waitUntil = vi.fn<(p: Promise<unknown>) => void>();
  const context = { waitUntil, deploy: { context: deployContext, id: "deploy-1", published: true }, site: { url: "http://shop.test" } } as unknown as Context;
  return { context, waitUntil };
}

const load = async <T>(file: string): Promise<T> => (await import(pathToFileURL(file).href)) as T;

describe("Netlify wrappers", () => {
  it("exist and are up to date for every api/ route (regenerate: npx tsx scripts/gen-netlify-functions.ts)", () => {
    expect(apiRoutes().length).toBeGreaterThan(0);
    expect(check()).toEqual([]);
  });

  it("netlify.toml points at the generated functions, bundles the migrations and schedules the cleanup", () => {
    const toml = readFileSync("netlify.toml", "utf8");
    expect(toml).toMatch(/^\s*directory = "netlify\/functions"/m);
    expect(toml).toMatch(/^\s*node_bundler = "esbuild"/m);
    expect(toml).toMatch(/^\s*included_files = \["supabase\/migrations\/\*\*", "kb\/demo\/\*\*"\]/m);
    expect(toml).toMatch(/^\s*publish = "public"/m);
    for (const name of Object.values(SCHEDULED)) expect(toml).toContain(`[functions."${name}"]\n  schedule = "0 3 * * *"`);
  });

  const routed = wrappers().filter((w) => !Object.values(SCHEDULED).includes(w.name));
  it.each(routed.map((w) => [w.route, w] as const))("api/%s.ts answers on Netlify like on Vercel", async (_name, w) => {
    const fn = await load<{ default: NetlifyFunction; config: { path: string | string[] } }>(w.file);
    const vercel = await load<Partial<RouteHandlers>>(`api/${w.route}.ts`);
    const aliases = PATH_ALIASES[w.route];
    expect(fn.config).toEqual({ path: aliases ? [`/api/${w.route}`, ...aliases] : `/api/${w.route}` });

    // A preflight: no outside service involved.
    const preflight = () => req(`/api/${w.route}`, { method: "OPTIONS", headers: { origin: "http://shop.test", "access-control-request-method": "POST" } });
    const [onNetlify, onVercel] = [await fn.default(preflight(), fakeContext().context), await vercel.OPTIONS!(preflight())];
    expect(onNetlify.status).toBe(onVercel.status);
    expect(onNetlify.headers.get("allow")).toBe(onVercel.headers.get("allow"));
    expect(onNetlify.headers.get("access-control-allow-origin")).toBe(onVercel.headers.get("access-control-allow-origin"));

    // A method the route does not declare: the same 405 and Allow on both platforms.
    const allow = onVercel.headers.get("allow") ?? "";
    const other = METHODS.find((m) => !allow.split(", ").includes(m));
    if (other) {
      const wrong = () => req(`/api/${w.route}`, { method: other, ...(other === "GET" || other === "DELETE" ? {} : { body: {} }) });
      const [a, b] = [await fn.default(wrong(), fakeContext().context), await vercel[other]!(wrong())];
      expect([a.status, a.headers.get("allow")]).toEqual([405, allow]);
      expect([b.status, b.headers.get("allow")]).toEqual([405, allow]);
      expect(await a.json()).toEqual(await b.json());
    }
  });

  const scheduled = wrappers().filter((w) => Object.values(SCHEDULED).includes(w.name));
  it.each(scheduled.map((w) => [w.name, w] as const))("the scheduled function %s runs the cron route with the CRON_SECRET bearer", async (_name, w) => {
    const fn = await load<{ default: NetlifyFunction; config?: unknown }>(w.file);
    const vercel = await load<Partial<RouteHandlers>>(`api/${w.route}.ts`);
    expect(fn.config).toBeUndefined(); // a schedule and a path are exclusive: the schedule is in netlify.toml
    const { context } = fakeContext();
    const res = await fn.default(new Request("http://netlify.internal/.netlify/functions/scheduled", { method: "POST", body: '{"next_run":"2026-11-26T03:00:00Z"}' }), context);
    const direct = await vercel.GET!(req(`/api/${w.route}`, { headers: { authorization: `Bearer ${CRON_SECRET}` } }));
    const refused = await vercel.GET!(req(`/api/${w.route}`));
    expect(refused.status).toBe(401);
    expect(res.status).toBe(direct.status);
    expect(res.status).not.toBe(401);
  });
});

describe("Netlify adapter", () => {
  const slow = route("slow", {
    POST: {
      handler: ({ waitUntil }) => {
        waitUntil(new Promise((resolve) => setTimeout(resolve, 200)));
        return { accepted: true };
      },
    },
  });

  it("hands deferred work to context.waitUntil and answers before it finishes", async () => {
    const { context, waitUntil } = fakeContext();
    const started = Date.now();
    const res = await netlifyHandler(slow)(req("/api/slow", { body: {} }), context);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(150);
    expect(waitUntil).toHaveBeenCalledTimes(1);
    const pending = waitUntil.mock.calls[0]![0];
    await expect(pending).resolves.toBeUndefined();
  });

  it("tells the configuration it runs on Netlify, in the deploy's context", async () => {
    const saved = { NETLIFY: process.env.NETLIFY, CONTEXT: process.env.CONTEXT };
    delete process.env.NETLIFY;
    delete process.env.CONTEXT;
    try {
      await netlifyHandler(slow)(req("/api/slow", { method: "OPTIONS" }), fakeContext("deploy-preview").context);
      expect([process.env.NETLIFY, process.env.CONTEXT]).toEqual(["true", "deploy-preview"]);
      const config = loadConfig({ NETLIFY: process.env.NETLIFY, CONTEXT: process.env.CONTEXT });
      expect([config.platform, config.deployEnv]).toEqual(["netlify", "preview"]);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });
});
