/**
 * POST /api/admin/subjects/erase — erases one person (GDPR art. 17). Body: exactly one of
 * `{email}`, `{phone}`, `{psid}`, `{sessionId}`. Shop owner only. Everything that holds their
 * identifiers is deleted in one transaction; orders and paid quotes are anonymised (the
 * accounting record stays, without the buyer); the Wix contact is deleted when Wix is
 * configured, and the Drive archives of their conversations are deleted from Drive.
 * 200 `{subject, deleted: {table: rows}, anonymised: {table: rows}, drive, crm}`; repeating it
 * finds nothing more (all zeros).
 */
import { eraseSubject, subjectSchema, toSubjectId } from "../../../lib/privacy/index.js";
import { requireFullOwnerSession, ownerSession } from "../../../lib/owner/auth.js";
import { json, route } from "../../../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-subjects-erase", {
  POST: {
    summary: "Erase one person (email, phone, psid or sessionId); orders are anonymised",
    auth: "owner",
    body: subjectSchema,
    responses: { 200: { description: "What was deleted or anonymised, per table, and the Wix and Drive copies" } },
    async handler({ body, services, auth }) {
      await requireFullOwnerSession(services, ownerSession(auth));
      const subject = toSubjectId(body);
      return json({ subject, ...(await eraseSubject(services, subject)) });
    },
  },
});
