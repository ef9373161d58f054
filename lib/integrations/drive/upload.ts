/**
 * uploadFile: one multipart upload (metadata + content, ≤ 5 MB) into a folder, Shared Drives
 * included, under the `drive` breaker with a timeout bounded by the request's time budget.
 */
import { Readable } from "node:stream";
import { TimeoutStrategy, timeout } from "cockatiel";
import * as z from "zod";
import type { Config } from "../../config.js";
import { UpstreamError } from "../../http/errors.js";
import { withBreaker } from "../../http/index.js";
import { requestContext } from "../../request-context.js";
import type { IntegrationDeps } from "../deps.js";
import type { DriveClient } from "./client.js";
import { DriveError } from "./errors.js";
import { isDriveOutage, toDriveFailure } from "./failures.js";

export interface DriveUpload {
  content: string | Uint8Array;
  mimeType: string;
  filename: string;
  /** Defaults to WORKFLOWS_DEFAULT_DRIVE_FOLDER_ID; without either, the account's root. */
  folderId?: string;
}

export interface DriveFile {
  fileId: string;
  viewUrl: string;
  downloadUrl: string;
}

/** Drive's multipart upload limit; larger files need a resumable upload. */
export const MAX_MULTIPART_BYTES = 5 * 1024 * 1024;
const MIN_ATTEMPT_MS = 50;

const createdFile = z.object({
  id: z.string().min(1),
  webViewLink: z.string().optional(),
  webContentLink: z.string().optional(),
});

/**
 * Uploads one file. Throws DriveError (not configured, API key only, bad credentials, too
 * large), UpstreamError (Drive or Google's token endpoint failed) or BreakerOpenError.
 */
export async function uploadFile(
  drive: Config["drive"],
  deps: IntegrationDeps,
  driveClient: () => Promise<DriveClient>,
  upload: DriveUpload,
): Promise<DriveFile> {
  const size = typeof upload.content === "string" ? Buffer.byteLength(upload.content) : upload.content.byteLength;
  if (size > MAX_MULTIPART_BYTES) throw new DriveError("too_large", `${size} bytes is over Drive's ${MAX_MULTIPART_BYTES}-byte multipart limit`);
  const client = await driveClient();
  const folderId = upload.folderId ?? drive.defaultFolderId;

  const left = (requestContext.getStore()?.deadline ?? Infinity) - Date.now();
  if (left < MIN_ATTEMPT_MS) throw new UpstreamError({ service: "drive", kind: "budget", retryable: false, message: "drive: no time left in the request budget" });
  const timeoutMs = Math.min(drive.timeoutMs, left);

  const res = await withBreaker(
    { store: deps.store, log: deps.log, settings: deps.breakers },
    "drive",
    async () => {
      try {
        // Aggressive: a hung token request is abandoned too, not only the upload.
        return await timeout(timeoutMs, TimeoutStrategy.Aggressive).execute(({ signal }) =>
          client.api.files.create(
            {
              requestBody: { name: upload.filename, ...(folderId ? { parents: [folderId] } : {}) },
              media: {
                mimeType: upload.mimeType,
                body: typeof upload.content === "string" ? upload.content : Readable.from([Buffer.from(upload.content)]),
              },
              fields: "id,webViewLink,webContentLink",
              supportsAllDrives: true,
            },
            { rootUrl: client.rootUrl, signal, timeout: timeoutMs, retry: false, fetchImplementation: client.fetch },
          ),
        );
      } catch (err) {
        throw toDriveFailure(err, timeoutMs);
      }
    },
    isDriveOutage,
  );

  const parsed = createdFile.safeParse(res.data);
  if (!parsed.success) {
    throw new UpstreamError({ service: "drive", kind: "invalid_response", status: res.status, message: "drive answered without a file id" });
  }
  const { id, webViewLink, webContentLink } = parsed.data;
  return {
    fileId: id,
    viewUrl: webViewLink ?? `https://drive.google.com/file/d/${encodeURIComponent(id)}/view`,
    downloadUrl: webContentLink ?? `https://drive.google.com/uc?id=${encodeURIComponent(id)}&export=download`,
  };
}
