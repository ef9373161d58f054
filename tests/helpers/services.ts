/** Services for tests: configuration from an explicit env (never the machine's), a PGlite store. */
import { loadConfig } from "../../lib/config.js";
import { createServices, setServices, type Services } from "../../lib/services.js";
import type { Store } from "../../lib/store/store.js";
import { createTestStore } from "./store.js";

export const BASE_ENV = { LOG_LEVEL: "silent", PUBLIC_BASE_URL: "http://shop.test" } as const;

export async function createTestServices(env: Record<string, string> = {}, store?: Store): Promise<Services> {
  const config = loadConfig({ ...BASE_ENV, ...env });
  const services = await createServices(config, store ?? (await createTestStore()));
  setServices(services);
  return services;
}

/** A Request to a route handler, JSON-encoding `body` when it is not a string. */
export function req(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Request {
  const headers = new Headers(init.headers);
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return new Request(`http://shop.test${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
}
