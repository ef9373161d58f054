/**
 * archive: files a transcript (conversation handed to a human) or a quote in Drive as
 * Markdown, for the app to call inside `ctx.waitUntil`. It never throws: without Drive it logs
 * and returns null; a failure is logged, recorded in `drive_archive` (and sent to Sentry when it
 * is a bug) and returns null. A (kind, id) already archived returns the existing file.
 */
import type { Config } from "../../config.js";
import type { IntegrationDeps } from "../deps.js";
import { isReportable, type ErrorContext } from "../sentry/index.js";
import { archiveClaim, archiveDone, archiveFailed } from "./archive-store.js";
import type { DriveFile, DriveUpload } from "./upload.js";

/** Sends a bug to error reporting (Sentry's captureError, bound by the caller). */
export type ReportError = (err: unknown, context: ErrorContext) => Promise<unknown>;

export interface ArchiveInput {
  kind: "transcript" | "quote";
  /** Stable id of the document (conversation or handoff id, quote id): archived once per (kind, id). */
  id: string;
  title: string;
  markdown: string;
}

export async function archive(
  drive: Config["drive"],
  deps: IntegrationDeps & { report?: ReportError },
  upload: (u: DriveUpload) => Promise<DriveFile>,
  doc: ArchiveInput,
): Promise<DriveFile | null> {
  const { log } = deps;
  const fields = { kind: doc.kind, ref: doc.id };
  if (!drive.configured) {
    log.info("drive archive skipped", { ...fields, reason: "not_configured" });
    return null;
  }
  if (drive.auth.method === "api_key") {
    log.warn("drive archive skipped", { ...fields, reason: "read_only", hint: "GOOGLE_DRIVE_API_KEY cannot upload; use a service account or OAuth" });
    return null;
  }
  let attempt: number | undefined;
  try {
    const claim = await archiveClaim(deps.store, doc.kind, doc.id, Math.ceil(drive.timeoutMs / 1000) + 30);
    if (!claim.claimed) {
      if (claim.status === "done" && claim.file_id) {
        log.info("drive archive exists", fields);
        return { fileId: claim.file_id, viewUrl: claim.view_url ?? "", downloadUrl: claim.download_url ?? "" };
      }
      log.info("drive archive skipped", { ...fields, reason: "in_progress" });
      return null;
    }
    attempt = claim.attempt;
    const file = await upload({
      content: doc.markdown,
      mimeType: "text/markdown",
      filename: archiveFilename(doc),
    });
    await archiveDone(deps.store, doc.kind, doc.id, file);
    log.info("drive archived", { ...fields, fileId: file.fileId });
    return file;
  } catch (err) {
    const e = err as { name?: string; message?: string; code?: string };
    log.warn("drive archive failed", { ...fields, error: e?.message, errorName: e?.name, code: e?.code });
    if (attempt !== undefined) {
      await archiveFailed(deps.store, doc.kind, doc.id, attempt, `${e?.name ?? "Error"}: ${e?.message ?? String(err)}`).catch((storeErr: Error) =>
        log.warn("drive archive not recorded", { ...fields, error: storeErr.message }),
      );
    }
    if (deps.report && isReportable(err)) await deps.report(err, { route: "drive-archive", kind: doc.kind });
    return null;
  }
}

/** "quote-A1042 Table en chêne.md": the kind and id first, so files sort and search well. */
export function archiveFilename(doc: Pick<ArchiveInput, "kind" | "id" | "title">): string {
  const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f/\\]+/g, " ").replace(/\s+/g, " ").trim();
  const title = clean(doc.title);
  return `${clean(`${doc.kind}-${doc.id}`)}${title ? ` ${title}` : ""}`.slice(0, 180) + ".md";
}
