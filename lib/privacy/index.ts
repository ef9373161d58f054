/**
 * lib/privacy — what an EU shop owes the people it talks to (issue 18): the retention job
 * (retention.ts, with Drive file deletion in drive-purge.ts), a person's export and erasure
 * (subject.ts, POST /api/admin/subjects/export|erase), the shopper's own "delete my
 * conversation" understood in French and English (intent.ts, turn-step.ts, called by the turn
 * pipeline before the assistant answers), and the AI disclosure (disclosure.ts, texts.ts).
 * Every query is a SQL function of supabase/migrations/20261130007*_privacy_*.sql (store.ts);
 * which columns hold personal data is written in the schema as column comments.
 */
export { runRetention } from "./retention.js";
export { purgeDriveFiles } from "./drive-purge.js";
export { subjectSchema, toSubjectId, exportSubject, eraseSubject, type SubjectRequest, type ErasureReport, type CrmErasure } from "./subject.js";
export type { SubjectId, EraseReport, TableCounts } from "./store.js";
export { privacyTurnStep, isPrivacyPayload, ERASE_PAYLOAD, type PrivacyStep } from "./turn-step.js";
export { disclosureLine, withDisclosure, disclosesInFirstReply } from "./disclosure.js";
export { isEraseRequest, yesOrNo } from "./intent.js";
