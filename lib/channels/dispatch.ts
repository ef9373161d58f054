/**
 * After the webhook's 200, when the acknowledgement found the worker asleep (channel_worker:
 * only one of the acknowledgements racing is told so; a draining worker takes the other jobs
 * anyway): hands the queued jobs to the worker. With WORKER_SECRET set, a signed
 * internal POST to /api/channel-worker starts the answers in their own invocation (on Vercel and
 * Netlify, a function instance of its own), so the acknowledgement never waits behind the
 * assistant; the worker answers 202 at once and drains in its waitUntil. Without the secret, or
 * when that call fails, this invocation drains the queue itself after its response (waitUntil).
 *
 * The call is our own deployment, not an outside service: it goes through plain `fetch` with a
 * timeout, without the shared breaker (a breaker row would cost every acknowledgement a round
 * trip, and a failed call loses nothing: the jobs stay queued and the fallback drains them).
 */
import { signInternal } from "../auth.js";
import type { Services } from "../services.js";

export const WORKER_PATH = "/api/channel-worker";
/** The worker answers 202 before draining; a call slower than this falls back to draining here. */
export const WORKER_CALL_TIMEOUT_MS = 5000;

export type DispatchOutcome = "worker" | "inline";

export async function dispatchQueued(services: Services): Promise<DispatchOutcome> {
  const { secret, baseUrl } = services.config.app.worker;
  if (secret) {
    try {
      const res = await fetch(`${baseUrl}${WORKER_PATH}`, {
        method: "POST",
        headers: signInternal(secret, "POST", WORKER_PATH),
        signal: AbortSignal.timeout(WORKER_CALL_TIMEOUT_MS),
      });
      await res.body?.cancel();
      if (res.status === 202) return "worker";
      services.log.error("channel worker call refused: answering in this invocation", { status: res.status });
    } catch (err) {
      services.log.error("channel worker call failed: answering in this invocation", { error: (err as Error)?.message });
    }
  }
  const { requestDrain } = await import("./jobs.js");
  await requestDrain(services, { handOff: dispatchQueued });
  return "inline";
}
