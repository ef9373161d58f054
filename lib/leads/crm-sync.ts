/**
 * Copies a stored lead to the shop's contacts (Wix CRM, or the demo shop's table). A failure
 * leaves the lead 'pending' with a backoff; the cron job retries it, at most
 * LEAD_CRM_MAX_ATTEMPTS times, then marks it 'failed' (still stored, never lost). When the CRM
 * is known to be down (breaker open) nothing is sent and no attempt is counted.
 */
import { BreakerOpenError } from "../http/index.js";
import type { Services } from "../services.js";
import { getShop } from "../shop/index.js";
import { leadCrmClaim, leadCrmResult, type CrmSyncState, type PendingLead } from "./store.js";

export const LEAD_CRM_MAX_ATTEMPTS = 8;
export const LEAD_CRM_BATCH = 25;
/** How long one sync may take before the retry job may take the lead over. */
export const LEAD_CRM_LEASE_SECONDS = 120;

export interface CrmSyncOutcome { state: CrmSyncState; breakerOpen: boolean }

/** Syncs one lead whose lease the caller holds, and records the outcome (one round trip). */
export async function syncLeadToCrm(services: Services, lead: PendingLead): Promise<CrmSyncOutcome> {
  let result: Parameters<typeof leadCrmResult>[2];
  let breakerOpen = false;
  try {
    const contact = await getShop(services).upsertContact({
      email: lead.email,
      ...(lead.name ? { name: lead.name } : {}),
      ...(lead.phone ? { phone: lead.phone } : {}),
      ...(lead.source ? { source: lead.source } : {}),
      // Marketing label only with a recorded consent (lib/leads/consent.ts).
      marketing: lead.consent === true,
    });
    result = { ok: true, contactId: contact.id };
  } catch (err) {
    breakerOpen = err instanceof BreakerOpenError;
    services.log.warn("lead CRM sync failed", { leadId: lead.id, error: (err as Error)?.message, breakerOpen });
    result = { ok: false, error: `${(err as Error)?.name ?? "Error"}: ${(err as Error)?.message ?? String(err)}`, countAttempt: !breakerOpen };
  }
  const recorded = await leadCrmResult(services.store, lead.id, result, LEAD_CRM_MAX_ATTEMPTS);
  return { state: recorded?.crm_sync ?? (result.ok ? "synced" : "pending"), breakerOpen };
}

/** The cron step: syncs the leads whose CRM sync is due. Stops early while the CRM breaker is open. */
export async function retryPendingCrmSyncs(services: Services, opts: { limit?: number } = {}): Promise<Record<string, number>> {
  const leads = await leadCrmClaim(services.store, opts.limit ?? LEAD_CRM_BATCH, LEAD_CRM_LEASE_SECONDS);
  const counts = { claimed: leads.length, synced: 0, pending: 0, failed: 0, deferred: 0 };
  for (let i = 0; i < leads.length; i++) {
    const outcome = await syncLeadToCrm(services, leads[i]!);
    if (outcome.state === "synced") counts.synced++;
    else if (outcome.state === "failed") counts.failed++;
    else counts.pending++;
    if (outcome.breakerOpen) {
      // The CRM is down: give the remaining leases back without spending their attempts.
      for (const rest of leads.slice(i + 1)) {
        await leadCrmResult(services.store, rest.id, { ok: false, error: "CRM unavailable (circuit open)", countAttempt: false }, LEAD_CRM_MAX_ATTEMPTS);
        counts.deferred++;
      }
      break;
    }
  }
  return counts;
}
