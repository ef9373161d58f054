/**
 * lib/http — owns every call to the outside world: the HTTP client (timeouts, retries with
 * jittered backoff, Retry-After, time budget), the circuit breakers shared in Postgres, and the
 * typed errors (`UpstreamError`, `BreakerOpenError`) callers degrade on. SDKs that do their own
 * HTTP (stripe, nodemailer, Google) go through `serviceBreaker(...)` with their own timeouts.
 */
import type { BreakerName } from "../config.js";
import type { Services } from "../services.js";
import { withBreaker, type FailureRule } from "./breaker.js";
import { createHttpClient, type HttpClient, type HttpClientOptions } from "./client.js";

export * from "./errors.js";
export { withBreaker, defaultFailureRule, type FailureRule, type BreakerState } from "./breaker.js";
export { createHttpClient, type HttpClient, type HttpRequest, type HttpResult, type HttpClientOptions } from "./client.js";

/**
 * An HTTP client for one outside service with these options. Not memoised: a client is a few
 * closures, and sharing one per service would hand one caller's headers (a token) and error
 * parser to another caller of the same service. The breaker state is shared anyway, in SQL.
 */
export function httpClient(services: Services, opts: HttpClientOptions): HttpClient {
  return createHttpClient({ store: services.store, log: services.log, breakers: services.config.breakers }, opts);
}

/** Runs an SDK call under the shared breaker `name` (the SDK handles its own timeout). */
export function serviceBreaker<T>(services: Services, name: BreakerName, fn: () => Promise<T>, isFailure?: FailureRule): Promise<T> {
  return withBreaker({ store: services.store, log: services.log, settings: services.config.breakers }, name, fn, isFailure);
}
