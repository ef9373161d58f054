/**
 * The client's address, for rate limits, from what the platform sets and the client cannot
 * forge: on Vercel `x-real-ip` (the platform overwrites it; `ipAddress()` of @vercel/functions
 * reads the same header); on Netlify `context.ip` (the adapter passes it), else
 * `x-nf-client-connection-ip`; in plain Node the socket address the dev server passes in, else
 * `x-real-ip`, which the dev server overwrites with the socket address (tests set it directly).
 * `X-Forwarded-For` is never read: its first entry is whatever the client sent.
 */
import type { Platform } from "../config.js";
import type { PlatformContext } from "./types.js";

export function clientIp(request: Request, platform: Platform, context?: PlatformContext): string {
  const h = request.headers;
  let ip: string | null | undefined;
  switch (platform) {
    case "vercel":
      ip = h.get("x-real-ip");
      break;
    case "netlify":
      ip = context?.ip ?? h.get("x-nf-client-connection-ip");
      break;
    case "node":
      ip = context?.ip ?? h.get("x-real-ip");
      break;
    default: {
      const never: never = platform;
      throw new Error(`unknown platform ${String(never)}`);
    }
  }
  return ip?.trim() || "unknown";
}
