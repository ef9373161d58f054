/**
 * One way to call an outside HTTP service: a timeout per attempt (AbortSignal), retries on
 * network errors, timeouts, 429 and 5xx only (a non-idempotent call only with an idempotency
 * key), exponential backoff with full jitter capped at `maxDelayMs`, Retry-After honoured when
 * it fits the remaining budget, a total time budget per call (the request's deadline), and the
 * shared SQL breaker around every attempt. Retry and timeout mechanics are cockatiel's.
 */
import { DelegateBackoff, TaskCancelledError, TimeoutStrategy, handleWhen, retry, timeout } from "cockatiel";
import type { BreakerName, BreakerSettings, RetrySettings } from "../config.js";
import type { Logger } from "../log.js";
import { requestContext } from "../request-context.js";
import type { Store } from "../store/store.js";
import { withBreaker } from "./breaker.js";
import { UpstreamError, parseRetryAfter } from "./errors.js";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface HttpRequest {
  method?: HttpMethod;
  /** Path appended to the base URL (or an absolute URL). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (form bodies, multipart). */
  body?: string | Uint8Array | URLSearchParams;
  /** Sent as `Idempotency-Key`; makes a POST/PATCH safe to retry. */
  idempotencyKey?: string;
  /** Marks a POST as safe to retry without a key (e.g. a read-only query endpoint). */
  idempotent?: boolean;
  /** Overrides the service's per-attempt timeout. */
  timeoutMs?: number;
  /** Overrides the deadline of the current request (epoch ms). */
  deadline?: number;
}

export interface HttpResult<T> { status: number; headers: Headers; data: T }

export interface HttpClientOptions {
  service: BreakerName;
  baseUrl: string;
  timeoutMs: number;
  retry: RetrySettings;
  headers?: Record<string, string>;
  /** Extracts a vendor error code from an error body (Meta, Wix, ...). */
  errorCode?: (body: unknown) => string | undefined;
}

export interface HttpDeps { store: Store; log: Logger; breakers: Record<BreakerName, BreakerSettings> }

export interface HttpClient {
  request<T = unknown>(req: HttpRequest): Promise<HttpResult<T>>;
  json<T = unknown>(req: HttpRequest): Promise<T>;
}

/** Smallest useful time left for an attempt; below it the budget is spent. */
const MIN_ATTEMPT_MS = 50;

export function createHttpClient(deps: HttpDeps, opts: HttpClientOptions): HttpClient {
  const { service } = opts;

  const attempt = async (req: HttpRequest, url: string, init: RequestInit, attemptTimeout: number): Promise<HttpResult<unknown>> => {
    const started = performance.now();
    const policy = timeout(attemptTimeout, TimeoutStrategy.Cooperative);
    let res: Response;
    let text: string;
    try {
      // The body is read inside the policy: cockatiel aborts its signal once the callback
      // returns, which would abort a body still being streamed (AbortError on every response).
      ({ res, text } = await policy.execute(async ({ signal }) => {
        const r = await fetch(url, { ...init, signal });
        return { res: r, text: await r.text() };
      }));
    } catch (err) {
      const timedOut = err instanceof TaskCancelledError || (err as Error)?.name === "TimeoutError" || (err as Error)?.name === "AbortError";
      logCall(req, timedOut ? "timeout" : "network_error", started);
      throw new UpstreamError({
        service,
        kind: timedOut ? "timeout" : "network",
        message: timedOut ? `${service} did not answer within ${attemptTimeout} ms` : `${service} could not be reached: ${(err as Error)?.message ?? err}`,
        cause: err,
      });
    }
    logCall(req, res.status, started);
    let data: unknown = undefined;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    if (!res.ok) {
      throw new UpstreamError({
        service,
        kind: "http",
        status: res.status,
        message: `${service} answered ${res.status}${describeError(data)}`,
        code: opts.errorCode?.(data),
        body: data,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
      });
    }
    const type = res.headers.get("content-type") ?? "";
    if (/json/i.test(type) && typeof data === "string") {
      throw new UpstreamError({ service, kind: "invalid_response", status: res.status, message: `${service} sent malformed JSON`, retryable: true });
    }
    return { status: res.status, headers: res.headers, data };
  };

  const logCall = (req: HttpRequest, status: number | string, started: number) =>
    deps.log.info("upstream", {
      service,
      method: req.method ?? "GET",
      path: new URL(req.path, "http://x").pathname.replace(/\/[^/]*@[^/]*/g, "/[redacted]"),
      status,
      durationMs: Math.round(performance.now() - started),
    });

  async function request<T>(req: HttpRequest): Promise<HttpResult<T>> {
    const method = req.method ?? (req.json !== undefined || req.body !== undefined ? "POST" : "GET");
    const url = buildUrl(opts.baseUrl, req.path, req.query);
    const headers: Record<string, string> = { accept: "application/json", ...opts.headers, ...req.headers };
    let body: BodyInit | undefined;
    if (req.json !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(req.json);
    } else if (req.body !== undefined) body = req.body as BodyInit;
    if (req.idempotencyKey) headers["idempotency-key"] = req.idempotencyKey;
    const init: RequestInit = { method, headers, body };

    const idempotent = method === "GET" || method === "PUT" || method === "DELETE" || !!req.idempotencyKey || !!req.idempotent;
    const deadline = req.deadline ?? requestContext.getStore()?.deadline ?? Date.now() + 25_000;
    const maxRetries = idempotent ? opts.retry.attempts : 0;
    let retries = 0;
    let plannedDelay = 0;
    let budgetSpent: UpstreamError | undefined;

    const shouldRetry = (err: unknown): boolean => {
      if (!(err instanceof UpstreamError) || !err.retryable || retries >= maxRetries) return false;
      const cap = Math.min(opts.retry.maxDelayMs, opts.retry.baseDelayMs * 2 ** retries);
      const delay = err.retryAfterMs ?? Math.random() * cap; // full jitter
      if (Date.now() + delay + MIN_ATTEMPT_MS > deadline) {
        budgetSpent = new UpstreamError({
          service,
          kind: "budget",
          status: err.status,
          retryable: false,
          message: `${service}: time budget exhausted after ${retries + 1} attempt(s) (${err.message})`,
          cause: err,
        });
        return false;
      }
      plannedDelay = delay;
      retries++;
      return true;
    };

    const policy = retry(handleWhen(shouldRetry), {
      maxAttempts: maxRetries,
      backoff: new DelegateBackoff(() => plannedDelay),
    });
    try {
      return (await policy.execute(() => {
        const left = deadline - Date.now();
        if (left < MIN_ATTEMPT_MS) {
          throw new UpstreamError({ service, kind: "budget", retryable: false, message: `${service}: no time left in the request budget` });
        }
        const attemptTimeout = Math.min(req.timeoutMs ?? opts.timeoutMs, left);
        return withBreaker({ store: deps.store, log: deps.log, settings: deps.breakers }, service, () => attempt(req, url, init, attemptTimeout));
      })) as HttpResult<T>;
    } catch (err) {
      throw budgetSpent ?? err;
    }
  }

  return {
    request,
    async json<T>(req: HttpRequest): Promise<T> {
      return (await request<T>(req)).data;
    },
  };
}

function buildUrl(base: string, path: string, query?: HttpRequest["query"]): string {
  const url = new URL(/^https?:\/\//.test(path) ? path : `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.toString();
}

function describeError(data: unknown): string {
  if (!data || typeof data !== "object") return "";
  const d = data as { error?: unknown; message?: unknown; detail?: unknown };
  const e = d.error as { message?: unknown } | string | undefined;
  const msg = typeof e === "string" ? e : typeof e?.message === "string" ? e.message : typeof d.message === "string" ? d.message : typeof d.detail === "string" ? d.detail : "";
  return msg ? `: ${String(msg).slice(0, 200)}` : "";
}
