/**
 * Secrets of the owner's side: session and link tokens (256 and 192 random bits, base64url),
 * six-digit sign-in codes, and the SHA-256 hashes the database stores instead of them (a
 * leaked table opens no session). Lifetimes are constants here, documented in the README.
 */
import { createHash, randomBytes, randomInt } from "node:crypto";

/** Sign-in codes: valid 10 minutes; the 5th wrong try voids the code. */
export const CODE_TTL_SECONDS = 10 * 60;
export const CODE_MAX_ATTEMPTS = 5;
/** Codes one address may ask for per 15 minutes (more are silently not sent). */
export const CODE_RATE_LIMIT = 5;
export const CODE_RATE_WINDOW_SECONDS = 15 * 60;
/** Sessions: idle expiry 7 days, absolute 30 days. */
export const SESSION_IDLE_SECONDS = 7 * 24 * 3600;
export const SESSION_ABSOLUTE_SECONDS = 30 * 24 * 3600;
/** Links in hand-off notifications: single use, 24 hours, one conversation. */
export const LINK_TTL_SECONDS = 24 * 3600;

/** A session token: 32 random bytes (256 bits). */
export const newSessionToken = () => randomBytes(32).toString("base64url");
/** A link token: 24 random bytes (192 bits). */
export const newLinkToken = () => randomBytes(24).toString("base64url");
/** Six digits, uniformly drawn (leading zeros kept). */
export const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, "0");

export const hashToken = (token: string) => createHash("sha256").update(`comptoir-owner-token:${token}`, "utf8").digest("hex");
export const hashCode = (email: string, code: string) => createHash("sha256").update(`comptoir-owner-code:${email.toLowerCase()}:${code}`, "utf8").digest("hex");

/** Session tokens and link tokens look like this (base64url); anything else is not looked up. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,64}$/;
