/** Contact normalisation shared by both shops: e-mail, name split into first/last, phone in E.164 form. */
import { ShopValidationError, type ContactInput } from "./types.js";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** "Marie  Durand" -> {first: "Marie", last: "Durand"}; "Jean-Pierre de la Fontaine" -> last "de la Fontaine". */
export function splitName(name: string | null | undefined): { first?: string; last?: string } {
  const parts = (name ?? "").trim().split(/\s+/).filter(Boolean);
  if (!parts.length) return {};
  const first = parts[0]!.slice(0, 100);
  const last = parts.slice(1).join(" ").slice(0, 100);
  return last ? { first, last } : { first };
}

/**
 * A phone number in E.164 form ("+33612345678"), or null when it cannot be one. Spaces, dots,
 * dashes, brackets and a "(0)" trunk prefix are dropped; "00" becomes "+"; a 10-digit national
 * number starting with 0 gets the default calling code (France, 33).
 */
export function normalisePhone(raw: string | null | undefined, defaultCallingCode = "33"): string | null {
  if (!raw) return null;
  const s = raw.trim().replace(/\(0\)/g, "");
  const digits = s.replace(/\D/g, "");
  let e164: string;
  if (s.startsWith("+")) e164 = `+${digits}`;
  else if (digits.startsWith("00")) e164 = `+${digits.slice(2)}`;
  else if (digits.length === 10 && digits.startsWith("0")) e164 = `+${defaultCallingCode}${digits.slice(1)}`;
  else e164 = `+${digits}`;
  return /^\+[1-9]\d{6,14}$/.test(e164) ? e164 : null;
}

export interface NormalisedContact { email: string; first?: string; last?: string; phone: string | null; source?: string; marketing?: boolean }

/** Validates and normalises a contact request (both shops); a bad e-mail is a ShopValidationError. */
export function normaliseContact(input: ContactInput): NormalisedContact {
  const email = typeof input?.email === "string" ? normaliseEmail(input.email) : "";
  if (email.length > 254 || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new ShopValidationError("a valid e-mail address is required", "email");
  const { first, last } = splitName(typeof input.name === "string" ? input.name : undefined);
  const phone = normalisePhone(typeof input.phone === "string" ? input.phone : undefined);
  const source = typeof input.source === "string" ? input.source.trim().slice(0, 50) || undefined : undefined;
  return { email, first, last, phone, source, ...(typeof input.marketing === "boolean" ? { marketing: input.marketing } : {}) };
}
