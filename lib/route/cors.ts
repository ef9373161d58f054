/**
 * CORS: a request with an Origin is answered only for the deployment's own origin,
 * PUBLIC_BASE_URL's and ALLOWED_ORIGINS (403 origin_not_allowed otherwise); the preflight
 * (OPTIONS) answers 204 with the methods the route declares.
 */
import { ApiError } from "../errors.js";
import type { Services } from "../services.js";

export function originAllowed(origin: string, url: URL, services: Services): boolean {
  if (origin === url.origin) return true;
  const { allowedOrigins, publicBaseUrl } = services.config.app;
  if (origin === new URL(publicBaseUrl).origin) return true;
  return allowedOrigins.includes("*") || allowedOrigins.includes(origin);
}

/** The CORS headers for this request's Origin ({} without one); throws for a refused origin. */
export function corsHeaders(request: Request, url: URL, services: Services): Record<string, string> {
  const origin = request.headers.get("origin");
  if (!origin) return {};
  if (!originAllowed(origin, url, services)) throw new ApiError("origin_not_allowed", "This origin is not allowed to call the API.");
  return { "access-control-allow-origin": origin, "access-control-expose-headers": "retry-after, x-request-id", vary: "Origin" };
}

export function preflight(allow: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      allow,
      "access-control-allow-methods": allow,
      "access-control-allow-headers": "content-type, authorization, x-request-id, accept",
      "access-control-max-age": "600",
    },
  });
}
