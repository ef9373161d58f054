/**
 * What an integration factory gets besides its own config slice: the store (breaker rows,
 * dedup rows), the logger, and the breaker thresholds lib/http applies per upstream. Never the
 * whole Services bag: an integration cannot reach another vendor's secrets or settings.
 */
import type { Config } from "../config.js";
import type { Logger } from "../log.js";
import type { Services } from "../services.js";
import type { Store } from "../store/index.js";

export interface IntegrationDeps {
  store: Store;
  log: Logger;
  /** Thresholds of the shared SQL circuit breakers (BREAKER_NAMES), read by lib/http. */
  breakers: Config["breakers"];
}

/** The deps slice of one Services object (the one place the bag is narrowed). */
export function integrationDeps(services: Services): IntegrationDeps {
  return { store: services.store, log: services.log, breakers: services.config.breakers };
}
