/**
 * Work a handler defers (`ctx.waitUntil`) runs after the response: through the platform's
 * waitUntil (Netlify context, the dev server), @vercel/functions' on Vercel, or awaited before
 * answering in tests and plain Node. A failure is logged and, when reportable, sent to Sentry
 * inside the same waitUntil.
 */
import { captureError, isReportable } from "../integrations/sentry/index.js";
import type { Logger } from "../log.js";
import { newRequestContext, requestContext } from "../request-context.js";
import type { Services } from "../services.js";
import type { PlatformContext } from "./types.js";

export interface DeferredRun {
  work: Promise<unknown>[];
  route: string;
  method: string;
  requestId: string;
  services: Services | undefined;
  log: Logger;
  platform: PlatformContext | undefined;
}

export async function runDeferred({ work, route, method, requestId, services, log, platform }: DeferredRun): Promise<void> {
  if (!work.length) return;
  const done = requestContext
    .run(newRequestContext(services?.config.app.requestBudgetMs ?? 25_000), () => Promise.allSettled(work))
    .then(async (results) => {
      const reports: Promise<boolean>[] = [];
      for (const r of results) {
        if (r.status !== "rejected") continue;
        log.error("deferred work failed", { route, requestId, error: String(r.reason) });
        if (services?.config.sentry.configured && isReportable(r.reason)) reports.push(captureError(services, r.reason, { route, method, requestId, deferred: true }));
      }
      await Promise.all(reports);
    });
  if (platform?.waitUntil) platform.waitUntil(done);
  else if (services?.config.platform === "vercel") {
    const { waitUntil } = await import("@vercel/functions");
    waitUntil(done);
  } else await done; // tests and plain Node: finish the work before answering
}
