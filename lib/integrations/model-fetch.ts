/**
 * The `fetch` given to the AI SDK providers (Hugging Face, Gemini), so model calls get our resilience: a plain
 * request goes through httpClient (per-attempt timeout, retries on 429/5xx/network with
 * Retry-After, the request's time budget, the shared SQL breaker per provider); a streaming
 * request (`"stream": true`, `:streamGenerateContent`) runs under the same breaker with a
 * timeout until the response headers, then streams its body until the turn's deadline. An open
 * breaker throws BreakerOpenError before any request is sent.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { LanguageModel } from "ai";
import type { UpstreamSettings } from "../config.js";
import { UpstreamError, createHttpClient, parseRetryAfter, withBreaker } from "../http/index.js";
import { requestContext } from "../request-context.js";
import type { IntegrationDeps } from "./deps.js";

type FetchFn = typeof globalThis.fetch;

/** A chat model (built by an integration's factory) and the call settings that suit it. */
export interface ChatModel {
  model: LanguageModel;
  settings: { temperature?: number; providerOptions?: Record<string, Record<string, unknown>> };
}

/**
 * The deadline of the model attempt in progress (epoch ms): a provider may not use the time
 * the next one needs. Set by the model loop around each attempt; the request's deadline
 * applies when none is set.
 */
export const modelDeadline = new AsyncLocalStorage<number>();

function deadlineNow(): number {
  return modelDeadline.getStore() ?? requestContext.getStore()?.deadline ?? Date.now() + 25_000;
}

function isStreaming(url: string, body: unknown): boolean {
  if (/:streamGenerateContent\b/.test(url)) return true;
  if (typeof body !== "string") return false;
  try {
    return (JSON.parse(body) as { stream?: unknown }).stream === true;
  } catch {
    return false;
  }
}

function headerRecord(init: RequestInit | undefined): Record<string, string> {
  return Object.fromEntries(new Headers(init?.headers).entries());
}

export function providerFetch(deps: IntegrationDeps, service: "hf" | "gemini", settings: UpstreamSettings): FetchFn {
  const client = createHttpClient(deps, { service, baseUrl: settings.baseUrl, timeoutMs: settings.timeoutMs, retry: settings.retry });
  const fetchFn = async (input: Parameters<FetchFn>[0], init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const body = init?.body;
    init?.signal?.throwIfAborted();
    if (isStreaming(url, body)) return streamingFetch(deps, service, settings.timeoutMs, url, init);
    const r = await client.request<unknown>({
      method: "POST",
      path: url,
      headers: headerRecord(init),
      ...(typeof body === "string" ? { body } : {}),
      // A chat completion has no side effect: safe to retry.
      idempotent: true,
      deadline: deadlineNow(),
    });
    return new Response(typeof r.data === "string" ? r.data : JSON.stringify(r.data ?? null), {
      status: r.status,
      headers: { "content-type": r.headers.get("content-type") ?? "application/json" },
    });
  };
  return fetchFn as FetchFn;
}

async function streamingFetch(deps: IntegrationDeps, service: "hf" | "gemini", timeoutMs: number, url: string, init: RequestInit | undefined): Promise<Response> {
  return withBreaker({ store: deps.store, log: deps.log, settings: deps.breakers }, service, async () => {
    const deadline = deadlineNow();
    const untilHeaders = AbortSignal.timeout(Math.max(50, Math.min(timeoutMs, deadline - Date.now())));
    const wholeStream = AbortSignal.timeout(Math.max(50, deadline - Date.now()));
    const signals = [wholeStream, ...(init?.signal ? [init.signal] : [])];
    const controller = new AbortController();
    const abort = (s: AbortSignal) => controller.abort(s.reason);
    for (const s of signals) s.addEventListener("abort", () => abort(s), { once: true });
    const headersTimer = () => controller.abort(untilHeaders.reason);
    untilHeaders.addEventListener("abort", headersTimer, { once: true });
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: controller.signal });
    } catch (err) {
      const timedOut = untilHeaders.aborted || wholeStream.aborted;
      throw new UpstreamError({
        service,
        kind: timedOut ? "timeout" : "network",
        message: timedOut ? `${service} did not answer within ${timeoutMs} ms` : `${service} could not be reached: ${(err as Error)?.message ?? err}`,
        cause: err,
      });
    } finally {
      untilHeaders.removeEventListener("abort", headersTimer);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => "");
      let data: unknown = text;
      try {
        data = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      throw new UpstreamError({
        service,
        kind: "http",
        status: res.status,
        message: `${service} answered ${res.status}`,
        body: data,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
      });
    }
    return res;
  });
}
