/**
 * The wrapper every api/ file uses. It turns a declaration of methods (body schema, handler)
 * into web-standard handlers (`Request -> Response`) exported as GET/POST/... and does, in one
 * place: 405 with Allow, CORS (preflight included), body size limit (413), content type (415),
 * JSON parsing (400) and zod validation (400 with the failing fields), typed errors to
 * `{"error":{"code","message"}}`, 500 only for real bugs (logged with the request id), a request
 * id on every response, one log line per request, and work after the response (`waitUntil`).
 * A real bug (and a bug in deferred work) is also reported to Sentry when SENTRY_DSN is set:
 * the SDK loads only then, and the report is flushed inside the same `waitUntil`.
 */
import type { ZodType } from "zod";
import { ApiError, statusOf, type ErrorCode } from "./errors.js";
import { captureError, isReportable } from "./integrations/sentry/index.js";
import { createLogger, type Logger } from "./log.js";
import { getServices, type Services } from "./services.js";
import { newRequestContext, requestContext, type RequestContext } from "./request-context.js";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type Method = (typeof METHODS)[number];

/** What the platform gives a handler besides the request (Netlify's context has waitUntil). */
export interface PlatformContext {
  waitUntil?: (promise: Promise<unknown>) => void;
}

export interface RouteContext<B, Q> {
  request: Request;
  url: URL;
  body: B;
  query: Q;
  /** The raw body text (for signature checks); "" when the method has no body. */
  rawBody: string;
  requestId: string;
  ip: string;
  services: Services;
  /** Runs work after the response is sent; it must handle its own failures. */
  waitUntil(promise: Promise<unknown>): void;
}

export interface MethodSpec<B = undefined, Q = Record<string, string>> {
  /** JSON body schema; requires `Content-Type: application/json`. */
  body?: ZodType<B>;
  /** Read the body as raw text without parsing (webhooks verify signatures first). */
  rawBody?: boolean;
  query?: ZodType<Q>;
  maxBodyBytes?: number;
  handler(ctx: RouteContext<B, Q>): Promise<Response | unknown> | Response | unknown;
}

export type Handler = (request: Request, platform?: PlatformContext) => Promise<Response>;
export type RouteHandlers = Record<Method | "OPTIONS", Handler>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySpec = MethodSpec<any, any>;

export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(data), { ...init, headers });
}

export function errorResponse(err: ApiError): Response {
  const headers: Record<string, string> = { ...err.extra.headers };
  if (err.extra.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(err.extra.retryAfterSeconds)));
  const body: { code: ErrorCode; message: string; details?: unknown } = { code: err.code, message: err.message };
  if (err.extra.details !== undefined) body.details = err.extra.details;
  return json({ error: body }, { status: err.status, headers });
}

/** Maps known failure types to API errors; unknown errors stay bugs (500). */
export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  const e = err as { name?: string; retryAfterMs?: number; service?: string } | null;
  switch (e?.name) {
    case "StoreError":
      return new ApiError("store_unavailable", "The service is temporarily unavailable. Please try again shortly.", { retryAfterSeconds: 5 });
    case "BreakerOpenError":
    case "UpstreamError":
      return new ApiError("upstream_unavailable", `An outside service (${e.service ?? "upstream"}) is unavailable. Please try again shortly.`, {
        retryAfterSeconds: Math.ceil((e.retryAfterMs ?? 5000) / 1000),
      });
    default:
      return null;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export function clientIp(request: Request): string {
  const fwd = request.headers.get("x-forwarded-for");
  if (fwd) return fwd.split(",")[0]!.trim();
  return request.headers.get("x-real-ip") ?? request.headers.get("x-nf-client-connection-ip") ?? "unknown";
}

function originAllowed(origin: string, url: URL, services: Services): boolean {
  if (origin === url.origin) return true;
  const { allowedOrigins, publicBaseUrl } = services.config.app;
  if (origin === new URL(publicBaseUrl).origin) return true;
  return allowedOrigins.includes("*") || allowedOrigins.includes(origin);
}

async function readBody(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const tooLarge = (limit: number) => new ApiError("payload_too_large", `The request body is larger than ${limit} bytes.`);

function zodDetails(issues: { path: PropertyKey[]; message: string }[]) {
  return issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
}

/**
 * Declares a route. `name` is used in logs. Returns a handler per HTTP method; methods not
 * declared answer 405 with `Allow`.
 */
export function route(name: string, specs: Partial<Record<Method, AnySpec>>): RouteHandlers {
  const allowed = METHODS.filter((m) => specs[m]);
  const allow = [...allowed, "OPTIONS"].join(", ");

  const handle = async (method: Method | "OPTIONS", request: Request, platform?: PlatformContext): Promise<Response> => {
    const started = performance.now();
    const incomingId = request.headers.get("x-request-id");
    const requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : crypto.randomUUID();
    let metrics: RequestContext = newRequestContext(25_000);
    const deferred: Promise<unknown>[] = [];
    let services: Services | undefined;
    let corsHeaders: Record<string, string> = {};

    const run = async (): Promise<Response> => {
      const url = new URL(request.url);
      services ??= await getServices();
      const origin = request.headers.get("origin");
      if (origin) {
        if (!originAllowed(origin, url, services)) {
          throw new ApiError("origin_not_allowed", "This origin is not allowed to call the API.");
        }
        corsHeaders = { "access-control-allow-origin": origin, "access-control-expose-headers": "retry-after, x-request-id", vary: "Origin" };
      }
      if (method === "OPTIONS") {
        return new Response(null, {
          status: 204,
          headers: {
            allow,
            "access-control-allow-methods": allow,
            "access-control-allow-headers": "content-type, authorization, x-request-id, accept",
            "access-control-max-age": "600",
          },
        });
      }
      const spec = specs[method];
      if (!spec) throw new ApiError("method_not_allowed", `Method ${method} is not allowed here.`, { headers: { allow } });

      let rawBody = "";
      let body: unknown = undefined;
      if (spec.body || spec.rawBody) {
        if (spec.body && !spec.rawBody) {
          const type = request.headers.get("content-type") ?? "";
          if (!/^application\/json\s*(;|$)/i.test(type)) {
            throw new ApiError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
          }
        }
        rawBody = await readBody(request, spec.maxBodyBytes ?? services.config.app.maxBodyBytes);
        if (spec.body && !spec.rawBody) {
          let parsed: unknown;
          try {
            parsed = JSON.parse(rawBody);
          } catch {
            throw new ApiError("invalid_json", "The request body is not valid JSON.");
          }
          const result = spec.body.safeParse(parsed);
          if (!result.success) {
            throw new ApiError("validation_failed", "The request body is invalid.", { details: zodDetails(result.error.issues) });
          }
          body = result.data;
        }
      }
      let query: unknown = Object.fromEntries(url.searchParams);
      if (spec.query) {
        const result = spec.query.safeParse(query);
        if (!result.success) throw new ApiError("validation_failed", "The query string is invalid.", { details: zodDetails(result.error.issues) });
        query = result.data;
      }
      const out = await spec.handler({
        request,
        url,
        body,
        query,
        rawBody,
        requestId,
        ip: clientIp(request),
        services,
        waitUntil: (p) => void deferred.push(p),
      });
      return out instanceof Response ? out : json(out);
    };

    let response: Response;
    let failure: unknown;
    try {
      services = await getServices();
      metrics = newRequestContext(services.config.app.requestBudgetMs);
      response = await requestContext.run(metrics, run);
    } catch (err) {
      const apiErr = toApiError(err);
      if (apiErr) response = errorResponse(apiErr);
      else {
        failure = err;
        response = errorResponse(new ApiError("internal", `Internal error. Reference: ${requestId}`));
      }
    }
    const headers = new Headers(response.headers);
    headers.set("x-request-id", requestId);
    for (const [k, v] of Object.entries(corsHeaders)) headers.set(k, v);
    if (!headers.has("cache-control")) headers.set("cache-control", "no-store");
    response = new Response(response.body, { status: response.status, statusText: response.statusText, headers });

    const log = services?.log ?? fallbackLog();
    if (failure) {
      const e = failure as Error;
      log.error("unhandled error", { route: name, requestId, error: e?.message, stack: e?.stack });
      if (services?.config.sentry.configured) deferred.push(captureError(services, failure, { route: name, method, requestId }));
    }
    log.info("request", {
      route: name,
      method,
      status: response.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      requestId,
      roundTrips: metrics.roundTrips,
      ...(metrics.breakerEvents.length ? { breakerEvents: metrics.breakerEvents } : {}),
    });

    if (deferred.length) {
      const work = requestContext
        .run({ ...newRequestContext(services?.config.app.requestBudgetMs ?? 25_000), roundTrips: 0 }, () => Promise.allSettled(deferred))
        .then(async (results) => {
          const reports: Promise<boolean>[] = [];
          for (const r of results) {
            if (r.status !== "rejected") continue;
            log.error("deferred work failed", { route: name, requestId, error: String(r.reason) });
            if (services?.config.sentry.configured && isReportable(r.reason)) reports.push(captureError(services, r.reason, { route: name, method, requestId, deferred: true }));
          }
          await Promise.all(reports);
        });
      if (platform?.waitUntil) platform.waitUntil(work);
      else if (services?.config.platform === "vercel") {
        const { waitUntil } = await import("@vercel/functions");
        waitUntil(work);
      } else await work; // tests and plain Node: finish the work before answering
    }
    return response;
  };

  const out = {} as RouteHandlers;
  for (const m of [...METHODS, "OPTIONS"] as const) out[m] = (req, platform) => handle(m, req, platform);
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
