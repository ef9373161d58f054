/**
 * The Wix REST client: API-key auth (`Authorization: <key>`, no "Bearer") plus exactly one of
 * `wix-site-id` (site-level APIs) or `wix-account-id` (account-level APIs), never both. Every
 * call goes through lib/http (breaker "wix", WIX_TIMEOUT_MS, WIX_RETRY_*).
 */
import type { Config } from "../../config.js";
import { createHttpClient, UpstreamError, type HttpRequest } from "../../http/index.js";
import { lazy, type Services } from "../../services.js";
import { integrationDeps, type IntegrationDeps } from "../deps.js";

export type WixConfig = Extract<Config["wix"], { configured: true }>;

export interface WixClient {
  readonly config: WixConfig;
  /** A site-level call (`wix-site-id`). */
  site<T>(req: HttpRequest): Promise<T>;
  /** An account-level call (`wix-account-id`; needs WIX_ACCOUNT_ID). */
  account<T>(req: HttpRequest): Promise<T>;
}

/** Wix error bodies: `{message, details: {applicationError: {code, description, data}}}`. */
export function wixErrorCode(body: unknown): string | undefined {
  const code = (body as { details?: { applicationError?: { code?: unknown } } } | null)?.details?.applicationError?.code;
  return typeof code === "string" ? code : undefined;
}

/** `details.applicationError.data` of a Wix error, when there is one. */
export function wixErrorData(err: unknown): Record<string, unknown> | undefined {
  if (!(err instanceof UpstreamError)) return undefined;
  const data = (err.body as { details?: { applicationError?: { data?: unknown } } } | null)?.details?.applicationError?.data;
  return data && typeof data === "object" ? (data as Record<string, unknown>) : undefined;
}

/** The Wix settings, or an error that says how to configure them. */
export function wixConfig(services: Services): WixConfig {
  const wix = services.config.wix;
  if (!wix.configured) throw new Error("Wix is not configured: set WIX_API_KEY and WIX_SITE_ID (see README, Wix setup)");
  return wix;
}

const SCOPE_HEADERS = ["wix-site-id", "wix-account-id"];

function withoutScope(headers: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).filter(([k]) => !SCOPE_HEADERS.includes(k.toLowerCase())));
}

/** The Wix client from its own config slice (WIX_*) and the shared deps (store, log, breakers). */
export function createWixClient(config: WixConfig, deps: IntegrationDeps): WixClient {
  const http = createHttpClient(deps, {
    service: "wix",
    baseUrl: config.baseUrl,
    timeoutMs: config.timeoutMs,
    retry: config.retry,
    headers: { authorization: config.apiKey },
    errorCode: wixErrorCode,
  });
  return {
    config,
    site: <T>(req: HttpRequest) => http.json<T>({ ...req, headers: { ...withoutScope(req.headers), "wix-site-id": config.siteId } }),
    account: <T>(req: HttpRequest) => {
      if (!config.accountId) throw new Error("this Wix call is account-level: set WIX_ACCOUNT_ID");
      return http.json<T>({ ...req, headers: { ...withoutScope(req.headers), "wix-account-id": config.accountId } });
    },
  };
}

/** The Wix client of these services, built once (the one place Services is narrowed for Wix). */
export function getWixClient(services: Services): WixClient {
  return lazy(services, "wix:client", () => createWixClient(wixConfig(services), integrationDeps(services)));
}

/** An id that cannot be put in a Wix URL path (empty, ".", "..", control characters, too long). */
export class InvalidWixIdError extends Error {
  override name = "InvalidWixIdError";
  constructor(readonly value: string) {
    super(`not a Wix id: ${JSON.stringify(value.slice(0, 40))}`);
  }
}

/**
 * A safe id for a Wix URL path: at most 200 printable characters, not "." or "..". Encoding alone
 * is not enough: URL parsing resolves "." and ".." (and their %2e forms) as dot segments, so
 * `/stores-reader/v1/products/..` would become `/stores-reader/v1/`.
 */
export function isWixId(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length > 0 &&
    value.length <= 200 &&
    !/^(\.|%2e){1,2}$/i.test(value) &&
    !/[\x00-\x1f\x7f]/.test(value)
  );
}

/**
 * Builds a Wix path from literal parts and ids: every id is checked (isWixId) and
 * percent-encoded as one segment, so an id never adds or removes a path segment.
 *   wixPath`/stores-reader/v1/products/${id}` -> "/stores-reader/v1/products/<encoded id>"
 * Throws InvalidWixIdError before any request is made.
 */
export function wixPath(parts: TemplateStringsArray, ...ids: string[]): string {
  let out = parts[0] ?? "";
  ids.forEach((id, i) => {
    if (!isWixId(id)) throw new InvalidWixIdError(String(id));
    out += encodeURIComponent(id) + (parts[i + 1] ?? "");
  });
  return out;
}

/** Turns a response that does not match the expected shape into a typed upstream failure. */
export function invalidWixResponse(what: string, detail: string): UpstreamError {
  return new UpstreamError({ service: "wix", kind: "invalid_response", message: `wix: unexpected ${what} response (${detail.slice(0, 200)})`, retryable: false });
}
