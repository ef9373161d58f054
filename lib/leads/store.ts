/** Typed calls to the lead SQL functions (supabase/migrations/*_leads_coupons_notifications.sql). */
import type { Store } from "../store/store.js";
import type { ValidLead } from "./schema.js";

export type CrmSyncState = "pending" | "syncing" | "synced" | "failed";

/** Stores the lead and its submission and leases its CRM sync: one round trip. */
export function leadUpsert(store: Store, lead: ValidLead, leaseSeconds: number, channel = "api") {
  return store.rpc<{ lead_id: string; created: boolean; submissions: number; consent: boolean }>("lead_upsert", {
    p_email: lead.email,
    p_name: lead.name,
    p_phone: lead.phone,
    p_message: lead.message,
    p_source: lead.source,
    p_conversation_id: lead.conversationId,
    // An explicit choice only counts with the words it answered (consentText).
    p_consent: lead.consentText ? (lead.consent ?? false) : undefined,
    p_consent_text: lead.consentText,
    p_consent_channel: channel,
    p_consent_language: lead.language,
    p_lease_seconds: leaseSeconds,
  });
}

export function leadCrmResult(
  store: Store,
  leadId: string,
  result: { ok: true; contactId: string } | { ok: false; error: string; countAttempt: boolean },
  maxAttempts: number,
) {
  return store.rpc<{ crm_sync: CrmSyncState; attempts: number } | null>("lead_crm_result", {
    p_lead_id: leadId,
    p_ok: result.ok,
    p_contact_id: result.ok ? result.contactId : undefined,
    p_error: result.ok ? undefined : result.error,
    p_count_attempt: result.ok ? true : result.countAttempt,
    p_max_attempts: maxAttempts,
  });
}

export interface PendingLead { id: string; email: string; name: string | null; phone: string | null; source: string | null; consent: boolean }

export function leadCrmClaim(store: Store, limit: number, leaseSeconds: number) {
  return store.rpc<PendingLead[]>("lead_crm_claim", { p_limit: limit, p_lease_seconds: leaseSeconds });
}

export interface StoredLead {
  lead: {
    id: string;
    email: string;
    name: string | null;
    phone: string | null;
    message: string | null;
    source: string | null;
    conversation_id: string | null;
    consent: boolean;
    consent_at: string | null;
    consent_text: string | null;
    consent_channel: string | null;
    consent_language: string | null;
    submissions: number;
    crm_sync: CrmSyncState;
    crm_contact_id: string | null;
    crm_attempts: number;
    crm_last_error: string | null;
  };
  submissions: { id: number; name: string | null; phone: string | null; message: string | null; source: string | null; created_at: string }[];
  /** Every explicit choice, oldest first, with the words it answered. */
  consents: { id: number; consent: boolean; wording: string; channel: string; language: string | null; created_at: string }[];
}

export function leadGet(store: Store, leadId: string) {
  return store.rpc<StoredLead | null>("lead_get", { p_lead_id: leadId });
}
