/**
 * GET /api/cron/cleanup — the daily cleanup and retry job (Vercel cron, see vercel.json).
 * Requires `Authorization: Bearer <CRON_SECRET>` (401 otherwise; 503 when CRON_SECRET is not
 * set). Runs every job of lib/cron/jobs.ts and answers their counts: 200 when all succeeded,
 * 500 when one failed (the others still ran).
 */
import { runCronJobs } from "../../lib/cron/jobs.js";
import { json, route } from "../../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("cron-cleanup", {
  GET: {
    summary: "Run the cleanup and retry jobs (platform scheduler)",
    auth: "cron",
    responses: { 200: { description: "Every job succeeded: their counts" }, 500: { description: "A job failed (the others ran): their counts" } },
    async handler({ services }) {
      const report = await runCronJobs(services);
      return json(report, { status: report.ok ? 200 : 500 });
    },
  },
});
