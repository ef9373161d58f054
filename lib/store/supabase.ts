/**
 * Supabase backend: `supabase.rpc()` over PostgREST with the service-role (secret) key. The
 * client does not throw on HTTP errors, so every `error` becomes a StoreError here.
 */
import { RoundTripCounter, StoreError, assertIdent, type RpcArgs, type Store } from "./store.js";

export async function createSupabaseStore(opts: { url: string; serviceRoleKey: string; fetch?: typeof fetch }): Promise<Store> {
  const { createClient } = await import("@supabase/supabase-js");
  const client = createClient(opts.url, opts.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(opts.fetch ? { global: { fetch: opts.fetch } } : {}),
  });
  const counter = new RoundTripCounter();
  return {
    kind: "supabase",
    get roundTrips() {
      return counter.count;
    },
    async rpc<T>(name: string, args: RpcArgs = {}): Promise<T> {
      assertIdent("function", name);
      const body: RpcArgs = {};
      for (const [k, v] of Object.entries(args)) if (v !== undefined) body[k] = v instanceof Date ? v.toISOString() : v;
      counter.tick();
      let res;
      try {
        res = await client.rpc(name, body);
      } catch (err) {
        throw new StoreError(`${name}: ${(err as Error).message}`, "network", name, { cause: err });
      }
      if (res.error) {
        throw new StoreError(`${name}: ${res.error.message}`, res.error.code, name, { cause: res.error });
      }
      return (res.data ?? null) as T;
    },
    async close() {},
  };
}
