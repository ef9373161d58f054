/**
 * lib/integrations/sentry — error reporting that costs nothing until an error happens.
 * Nothing here imports `@sentry/node` at load time: `captureError` loads it (dynamic import) the
 * first time a real bug is captured with SENTRY_DSN set, initialises it once (environment and
 * release from config, data collection off, events scrubbed, a fetch transport), sends the event
 * and flushes. Outages (breaker open, upstream or store errors) and API errors are not reported.
 * `createErrorReporter` takes the `sentry` config slice (+ release) and the logger;
 * `captureError(services, ...)` is its binding for the app.
 */
export { captureError, createErrorReporter, isReportable, type ErrorContext, type ErrorReporter, type SentryConfig } from "./capture.js";
export { scrubEvent } from "./scrub-event.js";
