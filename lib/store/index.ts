/**
 * lib/store — owns the database: the Store interface (`rpc(name, args)`), its three backends
 * (Supabase, Postgres, PGlite), migrations, and typed helpers for the shared SQL functions.
 * Every query the app makes is a SQL function in supabase/migrations/.
 */
import type { StoreBackend } from "../config.js";
import type { Store } from "./store.js";

export * from "./store.js";

/** Opens the backend chosen by the configuration. PGlite applies migrations on open. */
export async function openStore(backend: StoreBackend, opts: { migrate?: boolean } = {}): Promise<Store> {
  switch (backend.kind) {
    case "supabase": {
      const { createSupabaseStore } = await import("./supabase.js");
      return createSupabaseStore(backend);
    }
    case "postgres": {
      const { createPostgresStore } = await import("./postgres.js");
      const store = await createPostgresStore(backend);
      if (opts.migrate) await store.migrate();
      return store;
    }
    case "pglite": {
      const { createPgliteStore } = await import("./pglite.js");
      return createPgliteStore({ dataDir: backend.dataDir });
    }
    default: {
      const never: never = backend;
      throw new Error(`unknown store backend ${JSON.stringify(never)}`);
    }
  }
}
