/**
 * Meta's webhook verification (`GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`):
 * 200 with the challenge as plain text when the token matches the channel's verify token
 * (compared in constant time); 403 otherwise, and when the channel is not configured (there
 * is no token to match).
 */
import { safeEqual } from "../auth.js";
import { ApiError } from "../errors.js";

const CHALLENGE = /^[A-Za-z0-9._~-]{1,256}$/;

export function verifyChallenge(query: Record<string, string>, verifyToken: string | undefined): Response {
  const mode = query["hub.mode"];
  const token = query["hub.verify_token"];
  const challenge = query["hub.challenge"];
  const ok =
    !!verifyToken && mode === "subscribe" && typeof token === "string" && safeEqual(token, verifyToken) && typeof challenge === "string" && CHALLENGE.test(challenge);
  if (!ok) throw new ApiError("forbidden", "Webhook verification failed.");
  return new Response(challenge, { status: 200, headers: { "content-type": "text/plain; charset=utf-8", "x-content-type-options": "nosniff" } });
}
