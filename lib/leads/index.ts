/**
 * lib/leads — lead capture: validation (schema.ts), storage with history and the CRM sync
 * state in Postgres (store.ts), the copy to the shop's contacts and its retries (crm-sync.ts),
 * captureLead (capture.ts), used by POST /api/lead and the assistant's capture_lead tool, and
 * the owner's "new lead" notification (notify.ts).
 */
export { captureLead, type CaptureLeadResult, type CaptureLeadOptions } from "./capture.js";
export { leadInputSchema, leadRequestSchema, normaliseLeadPhone, LEAD_LIMITS, type LeadInput, type ValidLead } from "./schema.js";
export { retryPendingCrmSyncs, syncLeadToCrm, LEAD_CRM_MAX_ATTEMPTS } from "./crm-sync.js";
export { notifyNewLead, type LeadNotice } from "./notify.js";
export { leadGet, type StoredLead, type CrmSyncState } from "./store.js";
