/**
 * captureLead: the one way a lead enters Comptoir (POST /api/lead and the assistant's
 * capture_lead tool). Order matters: the lead is stored first (upsert by email, every
 * submission kept), then copied to the shop's contacts (a failure leaves it pending for the
 * retry job, never lost), then the owner is notified (deduplicated per email for 6 h). With a
 * `waitUntil` (the HTTP route), the CRM copy and the notification run after the response:
 * `crmSync` is then "pending" (queued).
 */
import { parseWith } from "../route/validate.js";
import { notifyNewLead } from "./notify.js";
import type { Services } from "../services.js";
import { LEAD_CRM_LEASE_SECONDS, syncLeadToCrm } from "./crm-sync.js";
import { leadInputSchema, type LeadInput } from "./schema.js";
import { leadUpsert } from "./store.js";

export interface CaptureLeadResult {
  leadId: string;
  /** false when a lead with this email existed (it was updated, the submission added). */
  created: boolean;
  crmSync: "synced" | "pending";
}

export interface CaptureLeadOptions {
  /** Runs the CRM copy and the owner notification after the response (route ctx.waitUntil); awaited otherwise. */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/** Throws ApiError `validation_failed` (with field details) for an invalid lead. */
export async function captureLead(services: Services, input: LeadInput, options: CaptureLeadOptions = {}): Promise<CaptureLeadResult> {
  const lead = parseWith(leadInputSchema, input, "The lead is invalid.");

  const stored = await leadUpsert(services.store, lead, LEAD_CRM_LEASE_SECONDS);
  const followUp = async (): Promise<"synced" | "pending"> => {
    const crm = await syncLeadToCrm(services, {
      id: stored.lead_id,
      email: lead.email,
      name: lead.name ?? null,
      phone: lead.phone ?? null,
      source: lead.source ?? null,
    });
    await notifyNewLead(services, {
      id: stored.lead_id,
      email: lead.email,
      name: lead.name ?? null,
      phone: lead.phone ?? null,
      message: lead.message ?? null,
      source: lead.source ?? null,
      conversationId: lead.conversationId ?? null,
    }).catch((err: unknown) => {
      // The lead is stored either way; a store outage here only loses the alert.
      services.log.error("lead notification failed", { leadId: stored.lead_id, error: (err as Error)?.message });
    });
    return crm.state === "synced" ? "synced" : "pending";
  };
  if (options.waitUntil) {
    // The visitor does not wait for the CRM (seconds when Wix is slow): the lead is stored and
    // its sync is under a lease, so the retry job takes it over if this work is cut short.
    options.waitUntil(followUp());
    return { leadId: stored.lead_id, created: stored.created, crmSync: "pending" };
  }
  return { leadId: stored.lead_id, created: stored.created, crmSync: await followUp() };
}
