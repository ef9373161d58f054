/**
 * The Drive integration: a factory over the `drive` config slice and IntegrationDeps (plus the
 * error reporter archive failures go to), and its binding to one Services object, which the
 * app calls (`uploadToDrive`, `archiveDocument`).
 */
import type { Config } from "../../config.js";
import { lazy, type Services } from "../../services.js";
import { integrationDeps, type IntegrationDeps } from "../deps.js";
import { captureError } from "../sentry/index.js";
import { archive, type ArchiveInput, type ReportError } from "./archive.js";
import { driveClientSource } from "./client.js";
import { uploadFile, type DriveFile, type DriveUpload } from "./upload.js";

export interface Drive {
  /** One upload. Throws DriveError, UpstreamError or BreakerOpenError. */
  upload(file: DriveUpload): Promise<DriveFile>;
  /** Files a document once per (kind, id); never throws (see archive.ts). */
  archive(doc: ArchiveInput): Promise<DriveFile | null>;
}

export function createDrive(drive: Config["drive"], deps: IntegrationDeps & { report?: ReportError }): Drive {
  const client = driveClientSource(drive, deps.log);
  const up = (file: DriveUpload) => uploadFile(drive, deps, client, file);
  return { upload: up, archive: (doc) => archive(drive, deps, up, doc) };
}

/** The Drive integration of one Services object (built once, so the auth token cache is reused). */
function driveFor(services: Services): Drive {
  return lazy(services, "drive:integration", () =>
    createDrive(services.config.drive, { ...integrationDeps(services), report: (err, context) => captureError(services, err, context) }),
  );
}

export function uploadToDrive(services: Services, file: DriveUpload): Promise<DriveFile> {
  return driveFor(services).upload(file);
}

export function archiveDocument(services: Services, doc: ArchiveInput): Promise<DriveFile | null> {
  return driveFor(services).archive(doc);
}
