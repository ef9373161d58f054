/** Offer ids: 128 random bits, URL-safe, prefixed so they are recognisable in logs and URLs. */
import { randomBytes } from "node:crypto";

export function newOfferId(): string {
  return `off_${randomBytes(16).toString("base64url")}`;
}

export function newAdminCouponId(): string {
  return `adm_${randomBytes(16).toString("base64url")}`;
}

/** Timestamps from SQL jsonb ("2026-11-25T14:48:11.99+00:00") as ISO 8601 UTC. */
export function isoTime(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}
