/**
 * A person's data on request (GDPR art. 15, 17, 20): who the request is about (exactly one of
 * email, phone, psid, sessionId), the export of everything held, and the erasure with its
 * report per table. Erasure runs in SQL in one transaction (privacy_subject_erase), then the
 * outside copies go: the Wix contact (when Wix is configured) and the Drive archives.
 */
import * as z from "zod";
import { isUnavailable } from "../http/index.js";
import { getWixClient } from "../integrations/wix/client.js";
import { createWixContacts, type ContactDeletion } from "../integrations/wix/contacts.js";
import { leadEmailSchema, normaliseLeadPhone } from "../leads/schema.js";
import type { Services } from "../services.js";
import { purgeDriveFiles } from "./drive-purge.js";
import { subjectErase, subjectExport, type SubjectId, type TableCounts } from "./store.js";

const id = (what: string) => z.string({ error: `${what} must be text` }).trim().min(1, `${what} is empty`).max(200, `${what} is too long`);

/** The body of both routes: exactly one identifier. */
export const subjectSchema = z
  .strictObject({
    email: z.optional(z.pipe(leadEmailSchema, z.transform((e: string) => e.toLowerCase()))),
    phone: z
      .string({ error: "phone must be text" })
      .max(32, "phone is too long")
      .refine((v) => normaliseLeadPhone(v) !== null, "phone must be a phone number in international form, like +33612345678")
      .transform((v) => normaliseLeadPhone(v)!)
      .optional(),
    psid: id("psid").describe("A Messenger PSID or a WhatsApp id (wa_id / BSUID)").optional(),
    sessionId: id("sessionId").describe("The web chat session id (the widget's)").optional(),
  })
  .refine((b) => Object.values(b).filter((v) => v !== undefined).length === 1, {
    message: "give exactly one of email, phone, psid, sessionId",
  });

export type SubjectRequest = z.output<typeof subjectSchema>;

export function toSubjectId(b: SubjectRequest): SubjectId {
  if (b.email) return { email: b.email };
  if (b.phone) return { phone: b.phone };
  if (b.psid) return { psid: b.psid };
  return { sessionId: b.sessionId! };
}

export function exportSubject(services: Services, subject: SubjectId): Promise<Record<string, unknown>> {
  return subjectExport(services.store, subject);
}

export type CrmErasure =
  | { status: "deleted"; contacts: ContactDeletion[] }
  | { status: "demo_shop"; note: string }
  | { status: "failed"; note: string; contacts?: ContactDeletion[] };

export interface ErasureReport {
  deleted: TableCounts;
  anonymised: TableCounts;
  drive: { marked: number; filesDeleted: number; filesPending: number; note?: string };
  crm: CrmErasure;
}

export async function eraseSubject(services: Services, subject: SubjectId): Promise<ErasureReport> {
  const sql = await subjectErase(services.store, subject);
  const crm = await eraseCrm(services, sql.crm_contact_ids, sql.emails);
  const marked = sql.drive.purge;
  let drive: ErasureReport["drive"] = { marked, filesDeleted: 0, filesPending: marked };
  if (marked > 0) {
    if (!services.config.drive.configured || services.config.drive.auth.method === "api_key") {
      drive = { ...drive, note: "Drive is not configured for writing: the files stay listed for deletion until it is (the daily job deletes them)" };
    } else {
      const purged = await purgeDriveFiles(services, Math.max(marked, 50));
      drive = { marked, filesDeleted: purged.drive_files_deleted, filesPending: Math.max(0, marked - purged.drive_files_deleted) };
      if (drive.filesPending) drive.note = "some Drive files could not be deleted now; the daily job retries";
    }
  }
  services.log.info("subject erased", { tables: Object.values(sql.deleted).reduce((a, b) => a + b, 0), crm: crm.status, driveMarked: marked });
  return { deleted: sql.deleted, anonymised: sql.anonymised, drive, crm };
}

async function eraseCrm(services: Services, ids: string[], emails: string[]): Promise<CrmErasure> {
  if (!services.config.wix.configured) {
    // Without Wix the shop is the demo shop, whose contacts live in the database.
    return { status: "demo_shop", note: "Wix is not configured: the demo shop's contacts are in the database and were erased with the rest" };
  }
  if (!ids.length && !emails.length) return { status: "deleted", contacts: [] };
  try {
    const contacts = await createWixContacts(getWixClient(services), services.log).deleteContacts({ ids, emails });
    return contacts.some((c) => c.status === "refused")
      ? { status: "failed", note: "Wix refused to delete some contacts (see reason): delete them in the Wix dashboard", contacts }
      : { status: "deleted", contacts };
  } catch (err) {
    services.log.warn("wix contact not deleted", { error: (err as Error)?.message });
    return {
      status: "failed",
      note: `${isUnavailable(err) ? "Wix is unavailable" : "Wix refused the call"} (${(err as Error)?.message ?? "error"}): repeat the erasure later or delete the contact in the Wix dashboard`,
    };
  }
}
