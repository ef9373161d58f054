/**
 * captureError: report one real bug to Sentry, loading and initialising the SDK on first use.
 * It never throws and never blocks on a slow Sentry for more than FLUSH_MS; call it inside
 * `waitUntil` (lib/route.ts does) so the flush happens after the response, before the function ends.
 */
import type { Config } from "../../config.js";
import type { Logger } from "../../log.js";
import type { Services } from "../../services.js";
import { scrubEvent } from "./scrub-event.js";
import { fetchTransport } from "./transport.js";

type SentrySdk = typeof import("@sentry/node");

/** Tags that identify the failing request; any other key goes to the event's `extra` (scrubbed). */
export interface ErrorContext {
  route?: string;
  method?: string;
  requestId?: string;
  [key: string]: string | number | boolean | undefined;
}

const FLUSH_MS = 2000;

/** Failures that are not bugs: API errors the client sees, outages of the store or an upstream. */
const EXPECTED = new Set(["ApiError", "StoreError", "UpstreamError", "BreakerOpenError", "DriveError", "ConfigError"]);

export function isReportable(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return !(typeof name === "string" && EXPECTED.has(name));
}

/** The `sentry` config slice plus the release (the Git commit) events are tagged with. */
export type SentryConfig = Config["sentry"] & { release: string };
type SentryConfigured = Extract<Config["sentry"], { configured: true }> & { release: string };

/** The SDK is process-wide (one client per process), so it is loaded and initialised once per DSN. */
let loaded: { dsn: string; sdk: Promise<SentrySdk> } | undefined;

function sentryFor(sentry: SentryConfigured): Promise<SentrySdk> {
  const { dsn } = sentry;
  if (loaded?.dsn === dsn) return loaded.sdk;
  const sdk = import("@sentry/node").then((Sentry) => {
    Sentry.init({
      dsn,
      environment: sentry.environment,
      release: sentry.release,
      // Loaded after the fact in a short-lived function: no auto-instrumentation, no global
      // handlers, no tracing. Only what helps read one error.
      defaultIntegrations: false,
      enableRuntimeChannelInjection: false,
      integrations: [
        Sentry.eventFiltersIntegration(),
        Sentry.functionToStringIntegration(),
        Sentry.linkedErrorsIntegration(),
        Sentry.dedupeIntegration(),
        Sentry.nodeContextIntegration(),
        Sentry.contextLinesIntegration(),
      ],
      // v11 collects headers, cookies, bodies, user info, query strings... by default: all off.
      dataCollection: {
        userInfo: false,
        cookies: false,
        httpHeaders: false,
        httpBodies: [],
        urlQueryParams: false,
        genAI: { inputs: false, outputs: false },
        mcp: { inputs: false, outputs: false },
        graphQL: { document: false, variables: false },
        databaseQueryData: false,
        queues: false,
        stackFrameVariables: false,
      },
      maxBreadcrumbs: 0,
      sendClientReports: false,
      transport: fetchTransport(Sentry),
      beforeSend: (event) => scrubEvent(event),
    });
    return Sentry;
  });
  loaded = { dsn, sdk };
  sdk.catch(() => {
    if (loaded?.sdk === sdk) loaded = undefined;
  });
  return sdk;
}

export interface ErrorReporter {
  /**
   * Reports `err` to Sentry when SENTRY_DSN is set and the error is a bug (see `isReportable`),
   * then flushes. Resolves to true when an event was handed to Sentry and flushed. Never throws.
   */
  capture(err: unknown, context?: ErrorContext): Promise<boolean>;
}

/** The reporter of one `sentry` config slice; it needs only the logger besides. */
export function createErrorReporter(sentry: SentryConfig, deps: { log: Logger }): ErrorReporter {
  return { capture: (err, context = {}) => capture(sentry, deps.log, err, context) };
}

/** The app's entry: the reporter of this Services object's config. */
export function captureError(services: Services, err: unknown, context: ErrorContext = {}): Promise<boolean> {
  const { config, log } = services;
  return createErrorReporter({ ...config.sentry, release: config.release }, { log }).capture(err, context);
}

async function capture(sentry: SentryConfig, log: Logger, err: unknown, context: ErrorContext): Promise<boolean> {
  if (!sentry.configured || !isReportable(err)) return false;
  const { route, method, requestId, ...extra } = context;
  try {
    const Sentry = await sentryFor(sentry);
    const eventId = Sentry.withScope((scope) => {
      if (route) scope.setTag("route", route);
      if (method) scope.setTag("method", method);
      if (requestId) scope.setTag("request_id", requestId);
      if (Object.keys(extra).length) scope.setExtras(extra);
      return Sentry.captureException(err);
    });
    const flushed = await Sentry.flush(FLUSH_MS);
    log.info("error reported", { route, requestId, eventId, flushed });
    return flushed;
  } catch (e) {
    log.warn("error reporting failed", { route, requestId, error: (e as Error)?.message });
    return false;
  }
}
