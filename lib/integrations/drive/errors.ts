/** Drive problems that are ours to fix (configuration), as opposed to Drive outages (UpstreamError). */
export type DriveErrorCode = "not_configured" | "read_only" | "invalid_credentials" | "too_large";

export class DriveError extends Error {
  override name = "DriveError";
  constructor(
    readonly code: DriveErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const READ_ONLY_MESSAGE =
  "Google Drive is configured with an API key only (GOOGLE_DRIVE_API_KEY), which is read-only: uploads need a service account " +
  "(GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON or GOOGLE_DRIVE_SERVICE_ACCOUNT_PATH) or OAuth (GOOGLE_DRIVE_CLIENT_ID, GOOGLE_DRIVE_CLIENT_SECRET, GOOGLE_DRIVE_REFRESH_TOKEN).";

export const NOT_CONFIGURED_MESSAGE =
  "Google Drive is not configured: set GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON (or _PATH, or the OAuth variables) and WORKFLOWS_DEFAULT_DRIVE_FOLDER_ID.";
