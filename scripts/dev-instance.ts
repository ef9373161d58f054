/**
 * A second function instance for the dev server: a worker thread with its own services (its own
 * configuration, database pool and event loop) that serves the routes a platform runs in their
 * own invocation (the channel worker). On Vercel or Netlify the webhook's acknowledgement and
 * the worker's answers never share an instance; locally they would share one event loop, and
 * a burst of answers would delay the next acknowledgement. Used only with a PostgreSQL store
 * (PGlite is one process's embedded database).
 *
 * Parent side: `startDevInstance()` returns `fetch(request)` and `close()`. Thread side (this
 * same file, run as the thread): answers each request message and keeps deferred work running.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import type { RouteHandlers } from "../lib/route.js";

/** The api/ route files of the repository at `root`, each imported once, on first use. */
export function routeFiles(root: string) {
  const modules = new Map<string, Promise<Partial<RouteHandlers>>>();
  const fileOf = (name: string) => path.join(root, "api", `${name}.ts`);
  return {
    exists: (name: string) => /^[a-z0-9-]+(\/[a-z0-9-]+)*$/.test(name) && existsSync(fileOf(name)),
    load(name: string): Promise<Partial<RouteHandlers>> {
      if (!modules.has(name)) modules.set(name, import(pathToFileURL(fileOf(name)).href) as Promise<Partial<RouteHandlers>>);
      return modules.get(name)!;
    },
  };
}

/** Work deferred with `waitUntil`, run after the response; `idle()` resolves when all of it is done. */
export function deferredWork() {
  const pending = new Set<Promise<unknown>>();
  return {
    waitUntil(p: Promise<unknown>): void {
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    async idle(): Promise<void> {
      while (pending.size) await Promise.allSettled([...pending]);
    },
  };
}

interface RequestMessage { id: number; route: string; method: string; url: string; headers: [string, string][]; body: string | null }
interface ResponseMessage { id: number; status: number; headers: [string, string][]; body: string }

export interface DevInstance {
  fetch(route: string, request: Request): Promise<Response>;
  /** Waits for the instance's deferred work, then stops it. */
  close(): Promise<void>;
}

export function startDevInstance(): DevInstance {
  // The dev server runs under tsx: the thread registers tsx's TypeScript loader, then imports
  // this file (tsx's --import flags do not carry over to a worker thread).
  const entry = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(entry, { eval: true });
  const waiting = new Map<number, { resolve(r: Response): void; reject(e: unknown): void }>();
  let seq = 0;
  let failed: unknown;
  worker.on("message", (m: ResponseMessage | { closed: true }) => {
    if ("closed" in m) return;
    waiting.get(m.id)?.resolve(new Response(m.body, { status: m.status, headers: m.headers }));
    waiting.delete(m.id);
  });
  worker.on("error", (err) => {
    failed = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  });
  worker.unref();
  return {
    async fetch(route, request) {
      if (failed) throw failed;
      const id = ++seq;
      const body = request.method === "GET" || request.method === "HEAD" ? null : await request.text();
      const msg: RequestMessage = { id, route, method: request.method, url: request.url, headers: [...request.headers], body };
      return new Promise<Response>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        worker.postMessage(msg);
      });
    },
    async close() {
      if (!failed) {
        await new Promise<void>((resolve) => {
          worker.on("message", (m: { closed?: true }) => m.closed && resolve());
          worker.on("exit", () => resolve());
          worker.postMessage({ close: true });
        });
      }
      await worker.terminate();
    },
  };
}

async function serveThread(): Promise<void> {
  // A platform gives each invocation its own CPU; here the two instances share the machine's
  // cores, so this thread yields to the acknowledgements (on Linux, setpriority on pid 0 changes
  // the calling thread only). Best effort: refused on some systems.
  try {
    const os = await import("node:os");
    os.setPriority(0, 10);
  } catch {
    /* keep the default priority */
  }
  const { getConfig } = await import("../lib/config.js");
  const { dispatch } = await import("../lib/route.js");
  const { createServices, setServices } = await import("../lib/services.js");
  const services = await createServices(getConfig());
  setServices(services);
  const routes = routeFiles(path.resolve(path.dirname(fileURLToPath(import.meta.url)), ".."));
  const deferred = deferredWork();
  parentPort!.on("message", async (m: RequestMessage | { close: true }) => {
    if ("close" in m) {
      await deferred.idle();
      await services.store.close();
      parentPort!.postMessage({ closed: true });
      return;
    }
    try {
      const res = await dispatch(await routes.load(m.route), new Request(m.url, { method: m.method, headers: m.headers, body: m.body }), { waitUntil: deferred.waitUntil });
      parentPort!.postMessage({ id: m.id, status: res.status, headers: [...res.headers], body: await res.text() } satisfies ResponseMessage);
    } catch (err) {
      const body = JSON.stringify({ error: { code: "internal", message: (err as Error)?.message ?? String(err) } });
      parentPort!.postMessage({ id: m.id, status: 500, headers: [["content-type", "application/json"]], body } satisfies ResponseMessage);
    }
  });
}

if (!isMainThread && parentPort) await serveThread();
