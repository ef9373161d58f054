/** A store that fails chosen SQL functions on purpose (the database "down" for one step). */
import { StoreError, type RpcArgs, type Store } from "../../lib/store/store.js";

export interface FlakyStore extends Store {
  /** The next `times` calls of `fn` throw a StoreError. */
  failNext(fn: string, times?: number): void;
}

export function flaky(inner: Store): FlakyStore {
  const failures = new Map<string, number>();
  return {
    get kind() {
      return inner.kind;
    },
    get roundTrips() {
      return inner.roundTrips;
    },
    rpc<T>(name: string, args?: RpcArgs): Promise<T> {
      const left = failures.get(name) ?? 0;
      if (left > 0) {
        failures.set(name, left - 1);
        return Promise.reject(new StoreError(`${name}: connection terminated (injected)`, "08006", name));
      }
      return inner.rpc<T>(name, args);
    },
    close: () => inner.close(),
    failNext(fn, times = 1) {
      failures.set(fn, times);
    },
  };
}
