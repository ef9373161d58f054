/**
 * captureLead: the one way a lead enters Comptoir (POST /api/lead and the assistant's
 * capture_lead tool). Order matters: the lead is stored first (upsert by email, every
 * submission kept), then copied to the shop's contacts (a failure leaves it pending for the
 * retry job, never lost), then the owner is notified (deduplicated per email for 6 h).
 */
import { ApiError } from "../errors.js";
import { notifyNewLead } from "../notifications.js";
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
  /** Runs the owner notification after the response (route ctx.waitUntil); awaited otherwise. */
  waitUntil?: (promise: Promise<unknown>) => void;
}

/** Throws ApiError `validation_failed` (with field details) for an invalid lead. */
export async function captureLead(services: Services, input: LeadInput, options: CaptureLeadOptions = {}): Promise<CaptureLeadResult> {
  const parsed = leadInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new ApiError("validation_failed", "The lead is invalid.", {
      details: parsed.error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message })),
    });
  }
  const lead = parsed.data;

  const stored = await leadUpsert(services.store, lead, LEAD_CRM_LEASE_SECONDS);
  const crm = await syncLeadToCrm(services, {
    id: stored.lead_id,
    email: lead.email,
    name: lead.name ?? null,
    phone: lead.phone ?? null,
    source: lead.source ?? null,
  });

  const notification = notifyNewLead(services, {
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
  if (options.waitUntil) options.waitUntil(notification);
  else await notification;

  return { leadId: stored.lead_id, created: stored.created, crmSync: crm.state === "synced" ? "synced" : "pending" };
}
