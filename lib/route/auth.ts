/**
 * The wrapper's auth step, run before the body is read: a caller without the right credential
 * learns nothing about the body it would have had to send. One function, one exhaustive switch
 * on the kind; a new kind (e.g. the owner's session) is one more member of AuthKind, Principal
 * and one more case.
 *   admin  `Authorization: Bearer <ADMIN_API_KEY>` (the shop owner's scripts)
 *   cron   `Authorization: Bearer <CRON_SECRET>` (Vercel cron, the Netlify scheduled function)
 *   owner  the inbox's session cookie (lib/owner/auth.ts): a write whose Origin is not this
 *          deployment's -> 403; no well-formed cookie -> 401. The session itself (expired,
 *          ended, or a reply-link session scoped to another conversation) is checked by the SQL
 *          function the route calls, in the same round trip as its work.
 *   internal  `X-Comptoir-Signature: sha256=HMAC(WORKER_SECRET, "<ts>.<METHOD> <path>")` with
 *          `X-Comptoir-Timestamp: <ts>` within 5 minutes (the webhooks calling the worker)
 * 401 `unauthorized` for a wrong or missing credential, 503 `not_configured` when the secret is
 * not set (nobody can pass). Comparisons are constant-time (lib/auth.ts).
 */
import { INTERNAL_SIGNATURE_HEADER, bearerMatches, internalMatches } from "../auth.js";
import { ApiError } from "../errors.js";
import { authenticateOwner } from "../owner/auth.js";
import type { Services } from "../services.js";

export type AuthKind = "admin" | "cron" | "owner" | "internal";

/** Who passed the auth step. `tokenHash`: the owner's session token, hashed (what SQL looks up). */
export type Principal = { kind: "admin" } | { kind: "cron" } | { kind: "owner"; tokenHash: string } | { kind: "internal" };

/** The OpenAPI security scheme of each kind (lib/openapi). */
export const AUTH_SCHEMES: Record<AuthKind, { name: string; scheme: Record<string, unknown> }> = {
  admin: { name: "adminKey", scheme: { type: "http", scheme: "bearer", description: "Authorization: Bearer <ADMIN_API_KEY>" } },
  cron: { name: "cronSecret", scheme: { type: "http", scheme: "bearer", description: "Authorization: Bearer <CRON_SECRET> (sent by the platform's scheduler)" } },
  owner: { name: "ownerSession", scheme: { type: "apiKey", in: "cookie", name: "comptoir_owner", description: "The inbox's session cookie (POST /api/admin/login/verify, or a reply link through POST /api/admin/link)" } },
  internal: {
    name: "internalSignature",
    scheme: { type: "apiKey", in: "header", name: INTERNAL_SIGNATURE_HEADER, description: 'sha256=HMAC-SHA256(WORKER_SECRET, "<X-Comptoir-Timestamp>.<METHOD> <path>"), sent by the webhooks' },
  },
};

export interface AuthOptions {
  /** A request carrying no credential of this kind at all is anonymous (null) instead of 401. */
  optional?: boolean;
}

/** Checks the request's credential for `kind`; returns who it is, null for an allowed anonymous call. */
export async function authenticate(kind: AuthKind, request: Request, services: Services, options: AuthOptions = {}): Promise<Principal | null> {
  switch (kind) {
    case "admin": {
      if (options.optional && !request.headers.has("authorization")) return null;
      const key = services.config.app.adminApiKey;
      if (!key) throw new ApiError("not_configured", "Admin access is not configured (set ADMIN_API_KEY).");
      if (!bearerMatches(request, key)) throw new ApiError("unauthorized", "Invalid or missing admin key.");
      return { kind: "admin" };
    }
    case "cron": {
      if (options.optional && !request.headers.has("authorization")) return null;
      const secret = services.config.app.cronSecret;
      if (!secret) throw new ApiError("not_configured", "The cron job is not configured (set CRON_SECRET).");
      if (!bearerMatches(request, secret)) throw new ApiError("unauthorized", "Invalid cron secret.");
      return { kind: "cron" };
    }
    case "owner": {
      if (options.optional && !request.headers.has("cookie")) return null;
      return { kind: "owner", tokenHash: authenticateOwner(request, services).tokenHash };
    }
    case "internal": {
      if (options.optional && !request.headers.has(INTERNAL_SIGNATURE_HEADER)) return null;
      const secret = services.config.app.worker.secret;
      if (!secret) throw new ApiError("not_configured", "The worker is not configured (set WORKER_SECRET).");
      if (!internalMatches(request, secret)) throw new ApiError("unauthorized", "Invalid or stale internal signature.");
      return { kind: "internal" };
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown auth kind ${String(never)}`);
    }
  }
}
