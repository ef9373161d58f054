/**
 * Local server: every api/**\/*.ts at /api/<name>, public/ at /, on PORT (default 3000).
 * With no keys: PGlite persisted in DATA_DIR, the demo shop and the offline assistant.
 * Work a route defers (waitUntil) runs after the response, as on Vercel. On PostgreSQL, the
 * routes a platform runs in an invocation of their own (the channel worker) run in a second
 * instance, a worker thread (scripts/dev-instance.ts), so answering never delays an ack.
 */
import type { Server } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serve, type ServerType } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { getConfig } from "../lib/config.js";
import { ApiError } from "../lib/errors.js";
import { dispatch, errorResponse } from "../lib/route.js";
import { createServices, setServices, type Services } from "../lib/services.js";
import { routeForPath } from "../lib/owner/paths.js";
import { openStore } from "../lib/store/index.js";
import { deferredWork, routeFiles, startDevInstance, type DevInstance } from "./dev-instance.js";

/** Sockets the dev server holds at once; more are refused by Node (a local tool, not a load balancer). */
const MAX_CONNECTIONS = 256;

/** Routes served by the second instance (their own invocation on Vercel and Netlify). */
const OWN_INSTANCE_ROUTES = new Set(["channel-worker"]);

/** Paths served by another route (the same rewrites as vercel.json and the Netlify wrappers). */
const ALIASES: Record<string, string> = { "openapi.json": "openapi" };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface DevServer {
  url: string;
  port: number;
  services: Services;
  /** The Node HTTP server (its timeouts and connection cap are set from the request budget). */
  server: Server;
  /** Resolves when all work deferred so far (waitUntil) has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function startDevServer(opts: { port?: number; services?: Services; quiet?: boolean } = {}): Promise<DevServer> {
  // A second instance builds its own services from the environment: only for the dev server's own
  // PostgreSQL services (services passed in by a test, or PGlite, stay in this instance).
  const ownServices = !opts.services;
  const services = opts.services ?? (await (async () => {
    const config = getConfig();
    // The dev server migrates Postgres too, so several local servers can share DATABASE_URL.
    return createServices(config, await openStore(config.store, { migrate: true }));
  })());
  setServices(services);

  const deferred = deferredWork();
  const routes = routeFiles(root);

  let instance: DevInstance | undefined;
  const secondInstance = () => (ownServices && services.store.kind === "postgres" ? (instance ??= startDevInstance()) : undefined);

  const app = new Hono();
  app.all("/api/*", async (c) => {
    const pathname = new URL(c.req.url).pathname;
    const requested = pathname.replace(/^\/api\//, "").replace(/\/+$/, "");
    // Paths with an id segment (/api/admin/conversations/{id}/reply) map to their route file.
    const name = routeForPath(pathname) ?? ALIASES[requested] ?? requested;
    if (!routes.exists(name)) return errorResponse(new ApiError("not_found", `No route at /api/${name}.`));
    // The client address is the socket's, passed to the route as the platform's (never a header
    // the client sent); x-real-ip is overwritten with it too, as Vercel does.
    const ip = (c.env as { incoming?: { socket?: { remoteAddress?: string } } }).incoming?.socket?.remoteAddress;
    const headers = new Headers(c.req.raw.headers);
    if (ip) headers.set("x-real-ip", ip);
    else headers.delete("x-real-ip");
    const request = new Request(c.req.raw, { headers });
    // Served by the second instance: this one never imports the route (the worker's code graph).
    const other = OWN_INSTANCE_ROUTES.has(name) ? secondInstance() : undefined;
    if (other) return other.fetch(name, request);
    return dispatch(await routes.load(name), request, { waitUntil: deferred.waitUntil, ...(ip ? { ip } : {}) });
  });
  app.use("/*", serveStatic({ root: path.relative(process.cwd(), path.join(root, "public")) || "." }));
  app.notFound(() => new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } }));

  const port = opts.port ?? services.config.app.port;
  // Node's own limits, behind the wrapper's (a body still arriving at the end of the request
  // budget gets 408 there): headers must arrive within 10 s, a whole request within the budget
  // + 5 s (checked every second, not every 30 s), and at most MAX_CONNECTIONS sockets at once.
  const budget = services.config.app.requestBudgetMs;
  const server = (await new Promise<ServerType>((resolve) => {
    const s = serve(
      {
        fetch: app.fetch,
        port,
        hostname: "127.0.0.1",
        serverOptions: { requestTimeout: budget + 5_000, headersTimeout: Math.min(10_000, budget + 5_000), connectionsCheckingInterval: 1_000 },
      },
      () => resolve(s),
    );
  })) as Server;
  server.maxConnections = MAX_CONNECTIONS;
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const url = `http://localhost:${actualPort}`;
  if (!opts.quiet) {
    const c = services.config;
    const on = (b: boolean) => (b ? "on" : "off");
    console.log(
      [
        `Comptoir is running at ${url}`,
        `  store: ${services.store.kind}${c.store.kind === "pglite" ? ` (${c.store.dataDir})` : ""}`,
        `  catalogue: ${c.wix.configured ? "Wix" : "demo shop"} · assistant: ${c.hf.configured ? "Hugging Face" : c.gemini.configured ? "Gemini" : "offline"}`,
        `  stripe: ${on(c.stripe.configured)} · email: ${c.email.configured ? "SMTP" : `outbox ${c.email.outboxDir}`} · whatsapp: ${on(c.whatsapp.configured)} · messenger: ${on(c.messenger.configured)}`,
        `  health: ${url}/api/health`,
      ].join("\n"),
    );
  }
  return {
    url,
    port: actualPort,
    services,
    server,
    idle: deferred.idle,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await deferred.idle();
      await instance?.close();
      setServices(null);
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dev = await startDevServer();
  const stop = async () => {
    await dev.close();
    await dev.services.store.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
