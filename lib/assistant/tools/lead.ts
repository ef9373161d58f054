/**
 * capture_lead: saves the shopper's contact details through captureLead (lib/leads), which
 * validates them, stores them, copies them to the shop's contacts and notifies the owner.
 * Policy: only an email address (and phone number) the shopper typed in this conversation is
 * accepted — the model can neither invent a lead nor plant someone else's address. Nor can it
 * say the shopper agreed to marketing: the reply asks the consent question itself.
 */
import { ApiError } from "../../errors.js";
import { isUnavailable } from "../../http/index.js";
import { captureLead } from "../../leads/index.js";
import { CONSENT_PAYLOAD, consentTexts } from "../../leads/consent.js";
import { addButton, addNote, once, type TurnContext } from "../context.js";
import { texts } from "../texts.js";
import type { CaptureLeadInput } from "./schemas.js";

export type LeadResult =
  | { status: "captured"; created: boolean }
  | { status: "refused"; reason: string }
  | { status: "invalid"; reason: string }
  | { status: "unavailable" };

/** Whether the shopper typed this email (or it is the conversation's known contact). */
export function shopperGaveEmail(ctx: TurnContext, email: string): boolean {
  const e = email.trim().toLowerCase();
  return !!e && (ctx.contactEmail?.toLowerCase() === e || ctx.shopperText.toLowerCase().includes(e));
}

function shopperGavePhone(ctx: TurnContext, phone: string): boolean {
  const digits = phone.replace(/\D/g, "");
  if (digits.length < 6) return false;
  const typed = ctx.shopperText.replace(/[\s.\-()/]/g, "");
  return typed.includes(digits) || typed.includes(digits.replace(/^33/, "0"));
}

export async function captureLeadTool(ctx: TurnContext, input: CaptureLeadInput): Promise<LeadResult> {
  const email = input.email.trim().toLowerCase();
  const done = (status: string) => ctx.draft.tools.push({ name: "capture_lead", status });
  if (!shopperGaveEmail(ctx, email)) {
    done("refused");
    return { status: "refused", reason: "Only an email address the shopper typed in this conversation can be saved. Ask the shopper for their email address." };
  }
  if (!ctx.conversationId) {
    done("unavailable");
    addNote(ctx.draft, texts(ctx.lang).leadUnavailable);
    return { status: "unavailable" };
  }
  const phone = input.phone && shopperGavePhone(ctx, input.phone) ? input.phone : undefined;
  return once(ctx, `lead:${email}`, async (): Promise<LeadResult> => {
    try {
      const r = await captureLead(
        ctx.services,
        {
          email,
          ...(input.name ? { name: input.name } : {}),
          ...(phone ? { phone } : {}),
          ...(input.message ? { message: input.message.slice(0, 500) } : {}),
          source: `chat-${ctx.channel}`,
          conversationId: ctx.conversationId!,
        },
        { waitUntil: ctx.waitUntil },
      );
      ctx.draft.leadEmail = email;
      addNote(ctx.draft, texts(ctx.lang).leadSaved(email));
      // Consent is asked in fixed words with Yes/No buttons (lib/leads/consent.ts), never taken
      // from the model: the answer is recorded with the question's exact wording.
      const consent = consentTexts(ctx.lang, ctx.services.config.app.brandName);
      addNote(ctx.draft, consent.question);
      addButton(ctx.draft, { title: consent.yes, payload: CONSENT_PAYLOAD.yes });
      addButton(ctx.draft, { title: consent.no, payload: CONSENT_PAYLOAD.no });
      done("captured");
      return { status: "captured", created: r.created };
    } catch (err) {
      if (err instanceof ApiError && err.code === "validation_failed") {
        done("invalid");
        return { status: "invalid", reason: JSON.stringify(err.extra.details ?? err.message).slice(0, 300) };
      }
      if (isUnavailable(err) || (err as Error)?.name === "StoreError") {
        done("unavailable");
        addNote(ctx.draft, texts(ctx.lang).leadUnavailable);
        return { status: "unavailable" };
      }
      throw err;
    }
  });
}
