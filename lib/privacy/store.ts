/** Typed calls to the privacy SQL functions (supabase/migrations/20261130007020/7030_*.sql). */
import type { Store } from "../store/store.js";

export type TableCounts = Record<string, number>;

export interface EraseReport {
  deleted: TableCounts;
  anonymised: TableCounts;
  drive: { purge: number; dropped: number };
  crm_contact_ids: string[];
  emails: string[];
}

/** One of the four ways to name a person (exactly one is given). */
export type SubjectId = { email: string } | { phone: string } | { psid: string } | { sessionId: string };

function subjectArgs(s: SubjectId) {
  return {
    p_email: "email" in s ? s.email : undefined,
    p_phone: "phone" in s ? s.phone : undefined,
    p_psid: "psid" in s ? s.psid : undefined,
    p_session_id: "sessionId" in s ? s.sessionId : undefined,
  };
}

export function retentionRun(store: Store, chatDays: number, leadDays: number, limit: number): Promise<TableCounts> {
  return store.rpc<TableCounts>("privacy_retention", { p_chat_days: chatDays, p_lead_days: leadDays, p_limit: limit });
}

export function subjectExport(store: Store, subject: SubjectId): Promise<Record<string, unknown>> {
  return store.rpc("privacy_subject_export", subjectArgs(subject));
}

export function subjectErase(store: Store, subject: SubjectId): Promise<EraseReport> {
  return store.rpc<EraseReport>("privacy_subject_erase", subjectArgs(subject));
}

export function conversationErase(store: Store, conversationId: string): Promise<EraseReport | null> {
  return store.rpc<EraseReport | null>("privacy_conversation_erase", { p_conversation_id: conversationId });
}
