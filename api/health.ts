/** GET /api/health — store backend and reachability, configured integrations, breaker states. No secrets. */
import { integrationStatus } from "../lib/config.js";
import type { BreakerState } from "../lib/http/breaker.js";
import { json, route } from "../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("health", {
  GET: {
    summary: "Store, integrations and breakers (no secrets)",
    responses: { 200: { description: "Everything reachable" }, 503: { description: "Degraded: the database is unreachable" } },
    async handler({ services }) {
      const { config, store } = services;
      let database: Record<string, unknown>;
      let breakers: BreakerState[] = [];
      let ok = true;
      try {
        const snapshot = await store.rpc<{ db_time: string; migrations: number; breakers: BreakerState[] }>("health_snapshot");
        database = { reachable: true, time: snapshot.db_time, migrations: snapshot.migrations };
        breakers = snapshot.breakers;
      } catch {
        ok = false;
        database = { reachable: false };
      }
      return json(
        {
          status: ok ? "ok" : "degraded",
          store: store.kind,
          platform: config.platform,
          environment: config.deployEnv,
          release: config.release,
          database,
          integrations: integrationStatus(config),
          breakers,
        },
        { status: ok ? 200 : 503 },
      );
    },
  },
});
