/**
 * What a lead is, at the edge: zod schemas with clear field errors, shared by POST /api/lead
 * and the assistant's capture_lead tool. Empty strings count as absent (HTML forms send them).
 */
// zod/mini: built at import on the lead and chat routes' cold starts (lib/route/validate.ts
// gives its messages in English, as classic zod does).
import * as z from "zod/mini";

export const LEAD_LIMITS = { email: 254, name: 100, phone: 32, message: 2000, source: 40, conversationId: 128, consentText: 1000 } as const;

/**
 * A phone number in E.164 form, or null. Separators are dropped, "00" becomes "+", and a
 * 10-digit national number starting with 0 gets the French calling code.
 */
export function normaliseLeadPhone(raw: string): string | null {
  const s = raw.trim().replace(/\(0\)/g, "");
  if (/[^\d\s+().\-/]/.test(s) || s.lastIndexOf("+") > 0) return null;
  const digits = s.replace(/\D/g, "");
  let e164: string;
  if (s.startsWith("+")) e164 = `+${digits}`;
  else if (digits.startsWith("00")) e164 = `+${digits.slice(2)}`;
  else if (digits.length === 10 && digits.startsWith("0")) e164 = `+33${digits.slice(1)}`;
  else e164 = `+${digits}`;
  return /^\+[1-9]\d{6,14}$/.test(e164) ? e164 : null;
}

const blankToUndefined = (v: unknown): unknown => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v);
// Typed as the optional schema it behaves as (TypeScript cannot follow the generic pipe).
const optional = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(z.transform(blankToUndefined), z.optional(schema)) as unknown as z.ZodMiniOptional<T>;
const text = (max: number, what: string) =>
  z.pipe(
    z.string({ error: `${what} must be text` }).check(z.trim(), z.maxLength(max, `${what} must be at most ${max} characters`)),
    // Control characters other than newlines and tabs have no business in a lead.
    // eslint-disable-next-line no-control-regex
    z.transform((s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")),
  );

export const leadEmailSchema = z.pipe(
  z
    .string({ error: "email is required" })
    .check(z.trim(), z.minLength(1, "email is required"), z.maxLength(LEAD_LIMITS.email, `email must be at most ${LEAD_LIMITS.email} characters`)),
  z.email({ error: "email must be a valid email address, like marie@example.fr" }),
);

export const leadPhoneSchema = z.pipe(
  z
    .string({ error: "phone must be text" })
    .check(
      z.maxLength(LEAD_LIMITS.phone, `phone must be at most ${LEAD_LIMITS.phone} characters`),
      z.refine((v: string) => normaliseLeadPhone(v) !== null, "phone must be a phone number in international form, like +33612345678"),
    ),
  z.transform((v: string) => normaliseLeadPhone(v)!),
);

/** A lead as captureLead accepts it (the assistant's tool passes this shape). */
export const leadInputSchema = z.object({
  email: leadEmailSchema,
  name: optional(text(LEAD_LIMITS.name, "name")),
  phone: optional(leadPhoneSchema),
  message: optional(text(LEAD_LIMITS.message, "message")),
  source: optional(
    z
      .string({ error: "source must be text" })
      .check(
        z.trim(),
        z.maxLength(LEAD_LIMITS.source, `source must be at most ${LEAD_LIMITS.source} characters`),
        z.regex(/^[A-Za-z0-9_.:-]+$/, "source may only contain letters, digits and _ . : -"),
      ),
  ),
  conversationId: optional(
    z
      .string({ error: "conversationId must be text" })
      .check(z.trim(), z.maxLength(LEAD_LIMITS.conversationId, `conversationId must be at most ${LEAD_LIMITS.conversationId} characters`)),
  ),
  consent: optional(
    z.union([z.boolean(), z.pipe(z.enum(["true", "false", "on"]), z.transform((v: "true" | "false" | "on") => v !== "false"))], { error: "consent must be true or false" }),
  ),
  /** The exact words next to the consent box (recorded with the choice; without them no choice is recorded). */
  consentText: optional(text(LEAD_LIMITS.consentText, "consentText")),
  language: optional(z.enum(["fr", "en"], { error: "language must be fr or en" })),
});

export type LeadInput = z.input<typeof leadInputSchema>;
export type ValidLead = z.output<typeof leadInputSchema>;

/** The POST /api/lead body: a lead plus the honeypot field `website` (humans leave it empty). */
export const leadRequestSchema = z.extend(leadInputSchema, {
  website: optional(z.string().check(z.maxLength(2000))),
});
