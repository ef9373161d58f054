/**
 * Netlify Functions v2 adapter: turns an api/ route module (the same web-standard handlers Vercel
 * runs) into a Netlify function, and the cron route into a scheduled function.
 * The generated files in netlify/functions/ are one line each on top of this.
 *
 * Netlify does not expose NETLIFY or CONTEXT to functions at runtime (only URL, SITE_NAME,
 * SITE_ID), so the first invocation copies the deploy context from `context.deploy.context` into
 * the variables lib/config.ts already reads, before the configuration is loaded: without it a
 * production deploy would look like "development" (live Stripe keys refused, Sentry environment
 * wrong) and the shared-database check would not run.
 */
import type { Context } from "@netlify/functions";
import { dispatch, type RouteHandlers } from "../lib/route.js";
import { getServices } from "../lib/services.js";

export type NetlifyFunction = (req: Request, context: Context) => Promise<Response>;

function platformHints(context: Partial<Context> | undefined): void {
  process.env.NETLIFY ??= "true";
  const deployContext = context?.deploy?.context;
  if (deployContext) process.env.CONTEXT ??= deployContext;
}

/** Serves an api/ route module at its config.path, with `context.waitUntil` for deferred work. */
export function netlifyHandler(mod: Partial<RouteHandlers>): NetlifyFunction {
  return (req, context) => {
    platformHints(context);
    // context.ip is the address Netlify's edge saw: the rate limits' key (lib/route/client-ip.ts).
    return dispatch(mod, req, { waitUntil: (promise) => context.waitUntil(promise), ...(context.ip ? { ip: context.ip } : {}) });
  };
}

/**
 * A scheduled function (netlify.toml `schedule`) that runs the GET handler of `mod` as if the
 * platform's cron had called `path` with `Authorization: Bearer <CRON_SECRET>`.
 */
export function scheduledHandler(mod: Partial<RouteHandlers>, path: string): NetlifyFunction {
  return async (_req, context) => {
    platformHints(context);
    const services = await getServices();
    const secret = services.config.app.cronSecret;
    if (!secret) services.log.warn("scheduled job without CRON_SECRET: the route will refuse it", { path });
    const url = new URL(path, services.config.app.publicBaseUrl);
    const request = new Request(url, { method: "GET", headers: secret ? { authorization: `Bearer ${secret}` } : {} });
    const res = await dispatch(mod, request, { waitUntil: (promise) => context.waitUntil(promise) });
    services.log.info("scheduled job finished", { path, status: res.status });
    return res;
  };
}
