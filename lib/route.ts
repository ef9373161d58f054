/**
 * The wrapper every api/ file uses. It turns a declaration of methods (auth, body and query
 * schemas, handler) into web-standard handlers (`Request -> Response`) exported as
 * GET/POST/..., running the same named steps for every request (lib/route/):
 *   cors (preflight, 403 for a refused origin) -> method (405 with Allow) -> auth (401/503,
 *   before the body is read) -> body (413 size, 408 slow, 499 client gone, 415 type) ->
 *   JSON + text (400; NUL refused, lone surrogates replaced) -> validate (400 with the fields)
 *   -> handler -> respond (typed errors to `{"error":{"code","message"}}`, 500 only for real
 *   bugs, logged with the request id and reported to Sentry when SENTRY_DSN is set) -> one log
 *   line per request -> deferred work (`waitUntil`).
 * The declarations are kept for the OpenAPI document (lib/route/definition.ts).
 */
import { ApiError } from "./errors.js";
import { captureError } from "./integrations/sentry/index.js";
import { createLogger, type Logger } from "./log.js";
import { newRequestContext, requestContext, type RequestContext } from "./request-context.js";
import { authenticate } from "./route/auth.js";
import { readBody } from "./route/body.js";
import { clientIp } from "./route/client-ip.js";
import { corsHeaders, preflight } from "./route/cors.js";
import { runDeferred } from "./route/deferred.js";
import { remember } from "./route/definition.js";
import { errorResponse, json, toApiError } from "./route/respond.js";
import { normaliseText, parseJsonText } from "./route/text.js";
import { METHODS, type AnySpec, type Method, type PlatformContext, type RouteHandlers, type RouteSpecs } from "./route/types.js";
import { parseWith } from "./route/validate.js";
import { getServices, type Services } from "./services.js";

export { json, errorResponse, toApiError } from "./route/respond.js";
export { clientIp } from "./route/client-ip.js";
export { parseWith, validationError, zodDetails } from "./route/validate.js";
export { routeDefinition } from "./route/definition.js";
export type { AuthKind, Principal } from "./route/auth.js";
export { METHODS } from "./route/types.js";
export type { AnySpec, Handler, Method, MethodSpec, PlatformContext, RouteContext, RouteDefinition, RouteHandlers, RouteSpecs } from "./route/types.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;
const JSON_TYPE = /^application\/json\s*(;|$)/i;

/** The body step: raw text (webhooks) or JSON validated against the spec's schema. */
async function readInput(spec: AnySpec, request: Request, services: Services, deadline: number): Promise<{ rawBody: string; body: unknown }> {
  if (!spec.body && !spec.rawBody) return { rawBody: "", body: undefined };
  const parse = spec.body && !spec.rawBody ? spec.body : null;
  if (parse && !JSON_TYPE.test(request.headers.get("content-type") ?? "")) {
    throw new ApiError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
  }
  const rawBody = await readBody(request, spec.maxBodyBytes ?? services.config.app.maxBodyBytes, deadline);
  if (!parse) return { rawBody, body: undefined };
  return { rawBody, body: parseWith(parse, parseJsonText(rawBody)) };
}

/** The query step: the search parameters (text normalised), validated when the spec has a schema. */
function readQuery(spec: AnySpec, url: URL): unknown {
  const query = normaliseText(Object.fromEntries(url.searchParams));
  return spec.query ? parseWith(spec.query, query, "The query string is invalid.") : query;
}

/** The failure step: a typed error keeps its status; anything else is a bug (500, logged, reported). */
function failureResponse(err: unknown, requestId: string): { response: Response; bug?: unknown } {
  const apiErr = toApiError(err);
  if (apiErr) return { response: errorResponse(apiErr) };
  return { response: errorResponse(new ApiError("internal", `Internal error. Reference: ${requestId}`)), bug: err };
}

/** The finishing step: request id, CORS and cache headers on every response. */
function finish(response: Response, requestId: string, cors: Record<string, string>): Response {
  const headers = new Headers(response.headers);
  headers.set("x-request-id", requestId);
  for (const [k, v] of Object.entries(cors)) headers.set(k, v);
  if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * The log step: one `request` line per request; a bug also gets an `unhandled error` line with
 * its stack and, when Sentry is configured, a report (returned, to run as deferred work).
 */
function logRequest(r: {
  log: Logger;
  services: Services | undefined;
  route: string;
  method: string;
  requestId: string;
  status: number;
  started: number;
  metrics: RequestContext;
  bug: unknown;
}): Promise<unknown> | null {
  let report: Promise<unknown> | null = null;
  if (r.bug) {
    const e = r.bug as Error;
    r.log.error("unhandled error", { route: r.route, requestId: r.requestId, error: e?.message, stack: e?.stack });
    if (r.services?.config.sentry.configured) report = captureError(r.services, r.bug, { route: r.route, method: r.method, requestId: r.requestId });
  }
  r.log.info("request", {
    route: r.route,
    method: r.method,
    status: r.status,
    durationMs: Math.round((performance.now() - r.started) * 10) / 10,
    requestId: r.requestId,
    roundTrips: r.metrics.roundTrips,
    storeMs: Math.round(r.metrics.storeMs * 10) / 10,
    ...(r.metrics.breakerEvents.length ? { breakerEvents: r.metrics.breakerEvents } : {}),
  });
  return report;
}

/**
 * Declares a route. `name` is used in logs. Returns a handler per HTTP method; methods not
 * declared answer 405 with `Allow`.
 */
export function route(name: string, specs: RouteSpecs): RouteHandlers {
  const allow = [...METHODS.filter((m) => specs[m]), "OPTIONS"].join(", ");

  const handle = async (method: Method | "OPTIONS", request: Request, platform?: PlatformContext): Promise<Response> => {
    const started = performance.now();
    const incomingId = request.headers.get("x-request-id");
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : crypto.randomUUID();
    let metrics: RequestContext = newRequestContext(25_000);
    const deferred: Promise<unknown>[] = [];
    let services: Services | undefined;
    let cors: Record<string, string> = {};

    const run = async (s: Services): Promise<Response> => {
      const url = new URL(request.url);
      cors = corsHeaders(request, url, s);
      if (method === "OPTIONS") return preflight(allow);
      const spec = specs[method];
      if (!spec) throw new ApiError("method_not_allowed", `Method ${method} is not allowed here.`, { headers: { allow } });
      const auth = spec.auth ? await authenticate(spec.auth, request, s, { optional: spec.optionalAuth ?? false }) : null;
      const { rawBody, body } = await readInput(spec, request, s, metrics.deadline);
      const query = readQuery(spec, url);
      const out = await spec.handler({
        request,
        url,
        body,
        query,
        rawBody,
        requestId,
        ip: clientIp(request, s.config.platform, platform),
        auth,
        services: s,
        waitUntil: (p) => void deferred.push(p),
      });
      return out instanceof Response ? out : json(out);
    };

    let response: Response;
    let bug: unknown;
    try {
      const s = (services = await getServices());
      metrics = newRequestContext(s.config.app.requestBudgetMs);
      response = await requestContext.run(metrics, () => run(s));
    } catch (err) {
      ({ response, bug } = failureResponse(err, requestId));
    }
    response = finish(response, requestId, cors);

    const log = services?.log ?? fallbackLog();
    const report = logRequest({ log, services, route: name, method, requestId, status: response.status, started, metrics, bug });
    if (report) deferred.push(report);
    await runDeferred({ work: deferred, route: name, method, requestId, services, log, platform });
    return response;
  };

  const out = {} as RouteHandlers;
  for (const m of [...METHODS, "OPTIONS"] as const) out[m] = (req, platform) => handle(m, req, platform);
  remember(out, { name, specs });
  return out;
}

let fallback: Logger | undefined;
/** The logger used when the services could not be built (e.g. invalid configuration). */
const fallbackLog = (): Logger => (fallback ??= createLogger("info"));

/** Calls the handler a route module exports for the request's method (dev server, Netlify). */
export async function dispatch(mod: Partial<RouteHandlers>, request: Request, platform?: PlatformContext): Promise<Response> {
  const method = request.method.toUpperCase();
  if (method === "HEAD" && mod.GET) {
    const res = await mod.GET(new Request(request.url, { method: "GET", headers: request.headers }), platform);
    return new Response(null, { status: res.status, headers: res.headers });
  }
  const handler = mod[method as Method | "OPTIONS"];
  if (handler) return handler(request, platform);
  return errorResponse(new ApiError("method_not_allowed", `Method ${method} is not allowed here.`));
}
