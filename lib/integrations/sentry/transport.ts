/**
 * A Sentry transport over `fetch` (the SDK's default uses node:http with its own agents): one
 * HTTP stack for the whole app, a hard timeout, and fakes (msw) see it like any other call.
 */
import type { NodeOptions } from "@sentry/node";

type SentrySdk = typeof import("@sentry/node");
type MakeTransport = NonNullable<NodeOptions["transport"]>;

const SEND_TIMEOUT_MS = 3000;

export function fetchTransport(Sentry: SentrySdk): MakeTransport {
  return (options) =>
    Sentry.createTransport(options, async ({ body }) => {
      const res = await fetch(options.url, {
        method: "POST",
        headers: { "content-type": "application/x-sentry-envelope", ...options.headers },
        body: body as BodyInit,
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      return {
        statusCode: res.status,
        headers: { "x-sentry-rate-limits": res.headers.get("x-sentry-rate-limits"), "retry-after": res.headers.get("retry-after") },
      };
    });
}
