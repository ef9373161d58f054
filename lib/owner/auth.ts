/**
 * Who is calling an owner route, decided before the body is read and without a database round
 * trip: a POST (or any write) whose `Origin` is not the deployment's -> 403; no well-formed
 * session cookie -> 401. The session itself is checked by the SQL function the route calls, in
 * the same round trip as its work (expired, unknown or out-of-scope -> 401/403 from
 * `ownerResult`). A session opened by a reply link is scoped to one conversation.
 */
import { ApiError } from "../errors.js";
import type { Services } from "../services.js";
import { sessionToken } from "./cookie.js";
import { hashToken } from "./tokens.js";

export interface OwnerPrincipal {
  /** SHA-256 of the session token: what the SQL functions look up. */
  tokenHash: string;
}

/** The deployment's own origins: the public base URL's and the request's. */
export function isOwnOrigin(origin: string, request: Request, services: Pick<Services, "config">): boolean {
  if (origin === new URL(request.url).origin) return true;
  return origin === new URL(services.config.app.publicBaseUrl).origin;
}

/** Rejects a cross-site write: a foreign Origin, or a browser saying the request is cross-site. */
export function assertSameOrigin(request: Request, services: Pick<Services, "config">): void {
  if (request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS") return;
  const origin = request.headers.get("origin");
  const site = request.headers.get("sec-fetch-site");
  if ((origin && origin !== "null" && !isOwnOrigin(origin, request, services)) || origin === "null" || site === "cross-site") {
    throw new ApiError("forbidden", "This request must come from the inbox page of this deployment.");
  }
}

export const notSignedIn = () => new ApiError("unauthorized", "Sign in to the inbox first (POST /api/admin/login).");

/** The owner's session from the route wrapper's auth step (`auth: "owner"`). */
export function ownerSession(auth: { kind: string; tokenHash?: string } | null): OwnerPrincipal {
  if (auth?.kind !== "owner" || !auth.tokenHash) throw notSignedIn();
  return { tokenHash: auth.tokenHash };
}

/** The owner's principal for a request, or ApiError 403/401 (the wrapper's "owner" auth kind). */
export function authenticateOwner(request: Request, services: Pick<Services, "config">): OwnerPrincipal {
  assertSameOrigin(request, services);
  const token = sessionToken(request);
  if (!token) throw notSignedIn();
  return { tokenHash: hashToken(token) };
}

/** Turns a SQL function's `{error}` into the API error; passes a result through. */
export function ownerResult<R>(result: R | null): Exclude<R, { error: string }> {
  const error = result && typeof result === "object" && "error" in result ? (result as { error: string }).error : null;
  if (result === null) throw new ApiError("not_found", "No such conversation.");
  switch (error) {
    case null:
      return result as Exclude<R, { error: string }>;
    case "unauthorized":
      throw new ApiError("unauthorized", "Your session has expired or was ended: sign in again.");
    case "forbidden":
      throw new ApiError("forbidden", "This link only opens the conversation it was sent for.");
    case "not_found":
      throw new ApiError("not_found", "No such conversation.");
    case "window_closed":
      throw new ApiError("window_closed", "The shopper's channel cannot carry a free message now (its reply window is closed) and there is no fallback (no approved template, no email).", {
        details: result as unknown,
      });
    default:
      throw new Error(`owner SQL function answered an unknown error "${error}"`);
  }
}
