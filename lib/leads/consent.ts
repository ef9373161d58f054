/**
 * Consent to hear from the shop (French CPCE L.34-5: prior, explicit, unticked), recorded with
 * the exact wording the person answered, the time, the channel and the language:
 *   - the widget's lead form shows CONSENT_LABEL next to an unticked box and posts the choice
 *     with that label (POST /api/lead `consent`, `consentText`);
 *   - on every chat channel, after the assistant saved a lead, it asks consentQuestion() with
 *     Yes/No buttons; the answer (button or a typed yes/no right after the question) is
 *     recorded by recordConsentAnswer (the model is never trusted to say a person agreed).
 * A lead without consent is kept for its request only and labelled `custom.chatbot-request` in
 * Wix, never `custom.chatbot-lead` (lib/integrations/wix/contacts.ts).
 */
import type { Lang } from "../assistant/language.js";
import type { Services } from "../services.js";

export const CONSENT_PAYLOAD = { yes: "consent:yes", no: "consent:no" } as const;

const WORDING = {
  fr: {
    label: (brand: string) => `J'accepte de recevoir par e-mail les nouveautés et offres de ${brand}. Je peux me désinscrire à tout moment.`,
    question: (brand: string) => `Souhaitez-vous recevoir par e-mail les nouveautés et offres de ${brand} ? Vous pourrez vous désinscrire à tout moment.`,
    yes: "Oui, volontiers",
    no: "Non merci",
    recordedYes: "C'est noté : vous recevrez nos nouveautés et offres. Vous pouvez vous désinscrire à tout moment.",
    recordedNo: "C'est noté : nous vous contacterons seulement au sujet de votre demande.",
  },
  en: {
    label: (brand: string) => `I agree to receive ${brand}'s news and offers by email. I can unsubscribe at any time.`,
    question: (brand: string) => `Would you like to receive ${brand}'s news and offers by email? You can unsubscribe at any time.`,
    yes: "Yes, please",
    no: "No, thanks",
    recordedYes: "Noted: you will receive our news and offers. You can unsubscribe at any time.",
    recordedNo: "Noted: we will only contact you about your request.",
  },
} as const;

export function consentTexts(lang: Lang, brand: string) {
  const w = WORDING[lang];
  return { ...w, label: w.label(brand), question: w.question(brand) };
}

/** The question as asked in either language (the next turn recognises a pending question by it). */
export function consentQuestions(brand: string): string[] {
  return [WORDING.fr.question(brand), WORDING.en.question(brand)];
}

/**
 * Records the answer to the consent question for the lead captured in this conversation.
 * -> the recorded choice, or null when the conversation has no lead (nothing to record).
 */
export async function recordConsentAnswer(
  services: Services,
  a: { conversationId: string; consent: boolean; wording: string; channel: string; lang: Lang },
): Promise<boolean | null> {
  const lead = await services.store.rpc<{ id: string } | null>("lead_for_conversation", { p_conversation_id: a.conversationId });
  if (!lead) return null;
  const r = await services.store.rpc<{ consent: boolean } | null>("lead_consent_record", {
    p_lead_id: lead.id,
    p_consent: a.consent,
    p_wording: a.wording,
    p_channel: a.channel,
    p_language: a.lang,
  });
  return r?.consent ?? null;
}
