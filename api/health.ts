/** GET /api/health — store backend and reachability, which integrations are configured. No secrets. */
import { integrationStatus } from "../lib/config.js";
import { json, route } from "../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("health", {
  GET: {
    async handler({ services }) {
      const { config, store } = services;
      let database: Record<string, unknown>;
      let ok = true;
      try {
        database = { reachable: true, ...(await store.rpc<Record<string, unknown>>("health_snapshot")) };
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
        },
        { status: ok ? 200 : 503 },
      );
    },
  },
});
