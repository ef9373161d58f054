/**
 * The owner's session cookie: `HttpOnly; SameSite=Strict; Path=/`, `Secure` except on
 * http://localhost (the dev server), Max-Age = the absolute session lifetime.
 */
import { SESSION_ABSOLUTE_SECONDS, TOKEN_SHAPE } from "./tokens.js";

export const COOKIE_NAME = "comptoir_owner";

function isLocalHttp(url: URL): boolean {
  return url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
}

export function sessionCookie(url: URL, token: string): string {
  return [`${COOKIE_NAME}=${token}`, "HttpOnly", "SameSite=Strict", "Path=/", `Max-Age=${SESSION_ABSOLUTE_SECONDS}`, ...(isLocalHttp(url) ? [] : ["Secure"])].join("; ");
}

export function clearedCookie(url: URL): string {
  return [`${COOKIE_NAME}=`, "HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=0", ...(isLocalHttp(url) ? [] : ["Secure"])].join("; ");
}

/** The session token of the request's cookie, or null (absent or malformed). */
export function sessionToken(request: Request): string | null {
  const header = request.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0 || part.slice(0, i).trim() !== COOKIE_NAME) continue;
    const value = part.slice(i + 1).trim();
    return TOKEN_SHAPE.test(value) ? value : null;
  }
  return null;
}
