/**
 * The privacy step of a chat turn, run by the channel-agnostic turn pipeline (lib/assistant/
 * turn.ts) before any model or offline answer, so it behaves the same on every channel and
 * with or without a model:
 *   - "supprimer mes données" / "delete my conversation" (or the widget's button, payload
 *     `privacy:erase`) -> the confirmation question, with Yes/No buttons;
 *   - yes (button `privacy:erase:confirm` or a typed yes) right after that question -> the
 *     conversation is erased (privacy_conversation_erase) and the reply is not stored;
 *   - no -> nothing is erased;
 *   - the answer to the consent question asked after a lead was saved (button `consent:yes|no`
 *     or a typed yes/no right after it) -> recorded with the question's exact wording.
 * null: not a privacy turn (the assistant answers as usual).
 */
import type { Lang } from "../assistant/language.js";
import type { ReplyButton } from "../assistant/types.js";
import { CONSENT_PAYLOAD, consentQuestions, consentTexts, recordConsentAnswer } from "../leads/consent.js";
import type { Services } from "../services.js";
import { isEraseRequest, yesOrNo } from "./intent.js";
import { conversationErase } from "./store.js";
import { ERASE_QUESTIONS, privacyTexts } from "./texts.js";

export const ERASE_PAYLOAD = { ask: "privacy:erase", confirm: "privacy:erase:confirm", cancel: "privacy:erase:cancel" } as const;

export type PrivacyStep =
  | { kind: "reply"; text: string; buttons: ReplyButton[] }
  | { kind: "erased"; text: string };

export interface PrivacyTurn {
  services: Services;
  conversationId: string | null;
  channel: string;
  lang: Lang;
  text: string;
  payload?: string | undefined;
  /** The conversation's earlier messages, oldest first. */
  history: { role: "user" | "assistant"; content: string }[];
}

/** Payloads this step answers (never sent to a model). */
export function isPrivacyPayload(payload: string | undefined): boolean {
  return !!payload && (/^privacy:erase(:confirm|:cancel)?$/.test(payload) || payload === CONSENT_PAYLOAD.yes || payload === CONSENT_PAYLOAD.no);
}

export async function privacyTurnStep(t: PrivacyTurn): Promise<PrivacyStep | null> {
  const { services, lang, payload } = t;
  const p = privacyTexts(lang);
  const last = t.history.length ? t.history[t.history.length - 1]! : null;
  const previous = last?.role === "assistant" ? last.content : "";
  const eraseAsked = ERASE_QUESTIONS.some((q) => previous.includes(q));

  const answer = payload === ERASE_PAYLOAD.confirm ? "yes" : payload === ERASE_PAYLOAD.cancel ? "no" : !payload && eraseAsked ? yesOrNo(t.text) : null;
  if (eraseAsked && answer === "yes") {
    if (!t.conversationId) return { kind: "reply", text: p.eraseFailed, buttons: [] };
    let report;
    try {
      report = await conversationErase(services.store, t.conversationId);
    } catch (err) {
      services.log.error("conversation erase failed", { channel: t.channel, error: (err as Error)?.message });
      return { kind: "reply", text: p.eraseFailed, buttons: [] };
    }
    const rows = report ? Object.values(report.deleted).reduce((a, b) => a + b, 0) : 0;
    services.log.info("conversation erased by the shopper", { channel: t.channel, rows, driveFiles: report?.drive.purge ?? 0 });
    if (report?.drive.purge) {
      const { purgeDriveFiles } = await import("./drive-purge.js");
      services.log.info("erased conversation's drive files", await purgeDriveFiles(services).catch(() => ({ drive_files_deleted: 0, drive_files_failed: 0 })));
    }
    return { kind: "erased", text: p.erased };
  }
  if (eraseAsked && answer === "no") return { kind: "reply", text: p.eraseCancelled, buttons: [] };
  if (payload === ERASE_PAYLOAD.confirm || payload === ERASE_PAYLOAD.cancel) {
    // A confirmation without the question just before it (an old button): ask again.
    return ask(lang);
  }
  if (payload === ERASE_PAYLOAD.ask || (!payload && isEraseRequest(t.text))) return ask(lang);

  const brand = services.config.app.brandName;
  const consentAsked = consentQuestions(brand).find((q) => previous.includes(q));
  const consent =
    payload === CONSENT_PAYLOAD.yes ? "yes" : payload === CONSENT_PAYLOAD.no ? "no" : !payload && consentAsked ? yesOrNo(t.text) : null;
  if (consent && t.conversationId) {
    const c = consentTexts(lang, brand);
    // The exact sentence the person answered: the question as it was shown.
    const wording = consentAsked ?? c.question;
    const recorded = await recordConsentAnswer(services, { conversationId: t.conversationId, consent: consent === "yes", wording, channel: t.channel, lang }).catch(
      (err: unknown) => (services.log.error("consent not recorded", { channel: t.channel, error: (err as Error)?.message }), null),
    );
    if (recorded !== null) return { kind: "reply", text: recorded ? c.recordedYes : c.recordedNo, buttons: [] };
  }
  return null;
}

function ask(lang: Lang): PrivacyStep {
  const p = privacyTexts(lang);
  return {
    kind: "reply",
    text: p.eraseQuestion,
    buttons: [
      { title: p.eraseYes, payload: ERASE_PAYLOAD.confirm },
      { title: p.eraseNo, payload: ERASE_PAYLOAD.cancel },
    ],
  };
}
