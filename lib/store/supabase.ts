/**
 * Supabase backend: `supabase.rpc()` over PostgREST with the service-role (secret) key. The
 * client does not throw on HTTP errors, so every `error` becomes a StoreError here. Each call is
 * aborted when the request's budget runs out (guard.ts).
 */
import { RoundTripCounter, StoreError, assertIdent, type RpcArgs, type Store } from "./store.js";
import { createStoreGuard } from "./guard.js";

export async function createSupabaseStore(opts: { url: string; serviceRoleKey: string; fetch?: typeof fetch }): Promise<Store> {
  const { createClient } = await import("@supabase/supabase-js");
  const client = createClient(opts.url, opts.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(opts.fetch ? { global: { fetch: opts.fetch } } : {}),
  });
  const counter = new RoundTripCounter();
  const guard = createStoreGuard();
  return {
    kind: "supabase",
    get roundTrips() {
      return counter.count;
    },
    async rpc<T>(name: string, args: RpcArgs = {}): Promise<T> {
      assertIdent("function", name);
      const body: RpcArgs = {};
      for (const [k, v] of Object.entries(args)) if (v !== undefined) body[k] = v instanceof Date ? v.toISOString() : v;
      return counter.call(() => guard.call(name, async (signal) => {
        let res;
        try {
          res = await client.rpc(name, body).abortSignal(signal);
        } catch (err) {
          throw new StoreError(`${name}: ${(err as Error).message}`, "network", name, { cause: err });
        }
        if (res.error) {
          // postgrest-js reports a network failure or an abort as an error with an empty code.
          const code = res.error.code || (signal.aborted ? "timeout" : "network");
          throw new StoreError(`${name}: ${res.error.message}`, code, name, { cause: res.error });
        }
        // PostgREST answering 502-504 (its database or gateway down) is an outage, not a bad call.
        if (res.status >= 502 && res.status <= 504) throw new StoreError(`${name}: HTTP ${res.status}`, "network", name);
        return (res.data ?? null) as T;
      }));
    },
    async close() {},
  };
}
