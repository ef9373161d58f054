/** Database round trips per request, counted by the store, split into before/after the response. */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig } from "../../lib/config.js";
import type { RouteHandlers } from "../../lib/route.js";
import { createServices, setServices } from "../../lib/services.js";
import { getShop } from "../../lib/shop/index.js";
import { createPostgresStore } from "../../lib/store/postgres.js";
import { whatsappDelivery, type BenchRequest } from "./scenarios.js";

export interface RoundTripRow { name: string; status: number | string; before: number; deferred: number; budget?: string }

export async function measureRoundTrips(env: Record<string, string>): Promise<{ rows: RoundTripRow[]; productId: string; rpcMs: number }> {
  const config = loadConfig(env);
  if (config.store.kind !== "postgres") throw new Error("round trips are measured on PostgreSQL");
  const store = await createPostgresStore({ ...config.store, max: 4 });
  await store.migrate();
  const services = await createServices(config, store);
  // Count round trips when they are over, so "before the response" is what the caller waited for
  // (work handed to waitUntil may already have a query in flight when the response is ready).
  let completed = 0;
  const rpc = store.rpc.bind(store);
  services.store = { ...store, rpc: (async (name: string, args?: Record<string, unknown>) => {
    try {
      return await rpc(name, args);
    } finally {
      completed++;
    }
  }) as typeof store.rpc, roundTrips: 0, close: () => store.close() };
  setServices(services);
  // A product bought without choosing a size or colour (a dress would need one: 422).
  const products = await getShop(services).searchProducts({ query: "bougie" });
  const productId = products.find((p) => p.inStock && !p.variants?.length)?.id ?? products[0]?.id ?? "unknown";
  const rows: RoundTripRow[] = [];

  const measure = async (name: string, route: string, req: BenchRequest, budget?: string) => {
    const file = path.resolve(`api/${route}.ts`);
    if (!existsSync(file)) return rows.push({ name, status: "route missing", before: NaN, deferred: NaN, budget });
    const mod = (await import(pathToFileURL(file).href)) as RouteHandlers;
    const pending: Promise<unknown>[] = [];
    const start = completed;
    const res = await mod[req.method as "POST"](new Request(`http://localhost:3000${req.path}`, { method: req.method, headers: req.headers, body: req.body }), {
      waitUntil: (p) => void pending.push(p),
    });
    const before = completed - start;
    await Promise.allSettled(pending);
    rows.push({ name, status: res.status, before, deferred: completed - start - before, budget });
  };

  const chat = (message: string, sessionId?: string): BenchRequest => ({
    method: "POST", path: "/api/chat", headers: { "content-type": "application/json" }, body: JSON.stringify({ message, ...(sessionId ? { sessionId } : {}) }),
  });
  // Warm the conversation, then measure turns on it (the common case).
  const first = await (await import(pathToFileURL(path.resolve("api/chat.ts")).href).catch(() => null))?.POST?.(
    new Request("http://localhost:3000/api/chat", chat("Bonjour")),
  );
  const sessionId = first ? ((await first.json()) as { sessionId?: string }).sessionId : undefined;
  await measure("chat turn, offline, no tool (\"merci\")", "chat", chat("Merci beaucoup", sessionId), "≤ 2");
  await measure("chat turn, offline, catalogue search tool", "chat", chat("Vous avez des robes ?", sessionId), "≤ 2 + the tool's");
  const delivery = whatsappDelivery("Bonjour");
  await measure("WhatsApp delivery (1 message)", "whatsapp-webhook", delivery, "≤ 2");
  await measure("WhatsApp duplicate delivery", "whatsapp-webhook", delivery, "≤ 2");
  await measure("lead", "lead", { method: "POST", path: "/api/lead", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "bench.rt@example.fr", name: "Marie Durand" }) }, "≤ 2");
  await measure("checkout (1 line, Stripe double)", "checkout", { method: "POST", path: "/api/checkout", headers: { "content-type": "application/json" }, body: JSON.stringify({ items: [{ productId, quantity: 2 }] }) });
  await measure("health", "health", { method: "GET", path: "/api/health", headers: {} });
  // What one round trip costs: the median of 200 sequential calls of a small SQL function.
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    await store.rpc("health_snapshot");
    times.push(performance.now() - t0);
  }
  const rpcMs = times.sort((a, b) => a - b)[100]!;
  setServices(null);
  await store.close();
  return { rows, productId, rpcMs };
}
