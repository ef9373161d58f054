/**
 * GET /api/cron/cleanup — the daily cleanup and retry job (Vercel cron, see vercel.json).
 * Requires `Authorization: Bearer <CRON_SECRET>` (401 otherwise; 503 when CRON_SECRET is not
 * set). Runs every job of lib/cron/jobs.ts and answers their counts: 200 when all succeeded,
 * 500 when one failed (the others still ran).
 */
import { bearerMatches } from "../../lib/auth.js";
import { runCronJobs } from "../../lib/cron/jobs.js";
import { ApiError } from "../../lib/errors.js";
import { json, route } from "../../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("cron-cleanup", {
  GET: {
    async handler({ request, services }) {
      const secret = services.config.app.cronSecret;
      if (!secret) throw new ApiError("not_configured", "The cron job is not configured (set CRON_SECRET).");
      if (!bearerMatches(request, secret)) throw new ApiError("unauthorized", "Invalid cron secret.");
      const report = await runCronJobs(services);
      return json(report, { status: report.ok ? 200 : 500 });
    },
  },
});
