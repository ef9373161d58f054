/**
 * POST /api/admin/subjects/export — everything Comptoir holds about one person, as JSON (an
 * access or portability request, GDPR art. 15/20). Body: exactly one of `{email}`, `{phone}`,
 * `{psid}` (Messenger PSID or WhatsApp id), `{sessionId}` (web chat). Shop owner only.
 * 200 `{subject, data}`: conversations with their messages, leads with submissions and
 * consents, coupon offers, orders, quotes, notifications about them, channel records, Drive
 * archives. An unknown person gets empty lists, not a 404 (the answer to give is "nothing").
 */
import { exportSubject, subjectSchema, toSubjectId } from "../../../lib/privacy/index.js";
import { requireFullOwnerSession, ownerSession } from "../../../lib/owner/auth.js";
import { json, route } from "../../../lib/route.js";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("admin-subjects-export", {
  POST: {
    summary: "Export everything held about one person (email, phone, psid or sessionId)",
    auth: "owner",
    body: subjectSchema,
    responses: { 200: { description: "The person's data, per table" } },
    async handler({ body, services, auth }) {
      await requireFullOwnerSession(services, ownerSession(auth));
      const subject = toSubjectId(body);
      return json({ subject, data: await exportSubject(services, subject) });
    },
  },
});
