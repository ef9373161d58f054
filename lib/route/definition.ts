/**
 * Each route's declaration, looked up from the handlers a route module exports (a WeakMap
 * keyed by handler), so the OpenAPI document reads the same specs the wrapper runs: nothing to
 * list by hand, and nothing for a route module to export besides its handlers.
 */
import type { Handler, RouteDefinition, RouteHandlers } from "./types.js";

const definitions = new WeakMap<Handler, RouteDefinition>();

export function remember(handlers: RouteHandlers, definition: RouteDefinition): void {
  for (const h of Object.values(handlers)) definitions.set(h, definition);
}

/** The declaration behind a route module (its exported handlers), or null if it is not route(). */
export function routeDefinition(mod: Partial<RouteHandlers>): RouteDefinition | null {
  const h = mod.OPTIONS ?? mod.GET ?? mod.POST;
  return (h && definitions.get(h)) ?? null;
}
