/**
 * lib/integrations/drive — Google Drive uploads with `@googleapis/drive` + `google-auth-library`
 * (never the whole `googleapis`), both loaded on the first upload only.
 *
 * Auth, in the original's order of priority (lib/config.ts picks one): service-account JSON
 * inline, service-account key file, OAuth refresh token, API key (read-only: uploads refused).
 * Every call runs under the shared `drive` circuit breaker with its own timeout, on Shared Drives
 * too (`supportsAllDrives`). `archiveDocument` is the fire-and-forget entry for the app: it never
 * throws, and records each archive in SQL so a document is uploaded once. `createDrive` takes
 * the `drive` config slice and IntegrationDeps; the app calls the two functions bound to its
 * Services (drive.ts).
 */
export { createDrive, uploadToDrive, archiveDocument, type Drive } from "./drive.js";
export type { DriveUpload, DriveFile } from "./upload.js";
export type { ArchiveInput, ReportError } from "./archive.js";
export { DriveError, type DriveErrorCode } from "./errors.js";
