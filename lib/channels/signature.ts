/**
 * Meta webhook signatures: `X-Hub-Signature-256: sha256=<hex>` is the HMAC-SHA256 of the raw
 * body bytes keyed with the App Secret. Checked before anything is parsed or stored, in
 * constant time (`timingSafeEqual` after a length check). A failure never says what was expected.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { ApiError } from "../errors.js";

const HEADER = /^sha256=([0-9a-fA-F]{64})$/;

/** True when `header` is the valid signature of `rawBody` under `secret`. */
export function isValidMetaSignature(rawBody: string | Uint8Array, header: string | null | undefined, secret: string): boolean {
  if (!header || !secret) return false;
  const match = HEADER.exec(header.trim());
  if (!match) return false; // missing prefix, sha1=, wrong length, not hex
  const given = Buffer.from(match[1]!, "hex");
  const expected = createHmac("sha256", secret).update(typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Throws 401 invalid_signature unless the signature is valid. */
export function assertMetaSignature(rawBody: string, header: string | null, secret: string): void {
  if (!isValidMetaSignature(rawBody, header, secret)) {
    throw new ApiError("invalid_signature", header ? "Invalid X-Hub-Signature-256 signature." : "Missing X-Hub-Signature-256 signature.");
  }
}

/** The header value Meta would send for `rawBody` (tests, local tools). */
export function signMetaBody(rawBody: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody, "utf8").digest("hex")}`;
}
