/**
 * The per-instance services: configuration, store and logger, built once (memoised) and shared
 * by every request the instance serves. Integrations hang off a Services object lazily through
 * `lazy()`, so an instance only builds (and imports) what its routes use.
 */
import { getConfig, type Config } from "./config.js";
import { createLogger, type Logger } from "./log.js";
import { openStore, type Store } from "./store/index.js";

export interface Services {
  config: Config;
  store: Store;
  log: Logger;
}

let current: Promise<Services> | undefined;

export async function createServices(config: Config, store?: Store): Promise<Services> {
  return {
    config,
    store: store ?? (await openStore(config.store)),
    log: createLogger(config.app.logLevel),
  };
}

/** The instance's services, built on first use. */
export function getServices(): Promise<Services> {
  current ??= (async () => createServices(getConfig()))().catch((err) => {
    current = undefined;
    throw err;
  });
  return current;
}

/** Replaces the instance's services (tests, dev server). `null` resets to lazy creation. */
export function setServices(services: Services | null): void {
  current = services ? Promise.resolve(services) : undefined;
}

const memo = new WeakMap<Services, Map<string, unknown>>();
/** Builds `make()` once per Services object under `key` (integration clients, caches). */
export function lazy<T>(services: Services, key: string, make: () => T): T {
  let m = memo.get(services);
  if (!m) memo.set(services, (m = new Map()));
  if (!m.has(key)) m.set(key, make());
  return m.get(key) as T;
}
