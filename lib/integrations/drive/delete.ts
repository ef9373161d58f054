/**
 * deleteFile: removes one file (an archived transcript or quote whose conversation was erased or
 * expired) from Drive, Shared Drives included, under the `drive` breaker with a timeout bounded
 * by the request's time budget. A file that is already gone (404) counts as deleted.
 */
import { TimeoutStrategy, timeout } from "cockatiel";
import type { Config } from "../../config.js";
import { UpstreamError } from "../../http/errors.js";
import { withBreaker } from "../../http/index.js";
import { requestContext } from "../../request-context.js";
import type { IntegrationDeps } from "../deps.js";
import type { DriveClient } from "./client.js";
import { isDriveOutage, toDriveFailure } from "./failures.js";

const MIN_ATTEMPT_MS = 50;

/** -> "deleted" | "already_gone". Throws DriveError, UpstreamError or BreakerOpenError. */
export async function deleteFile(
  drive: Config["drive"],
  deps: IntegrationDeps,
  driveClient: () => Promise<DriveClient>,
  fileId: string,
): Promise<"deleted" | "already_gone"> {
  const client = await driveClient();
  const left = (requestContext.getStore()?.deadline ?? Infinity) - Date.now();
  if (left < MIN_ATTEMPT_MS) throw new UpstreamError({ service: "drive", kind: "budget", retryable: false, message: "drive: no time left in the request budget" });
  const timeoutMs = Math.min(drive.timeoutMs, left);
  try {
    await withBreaker(
      { store: deps.store, log: deps.log, settings: deps.breakers },
      "drive",
      async () => {
        try {
          return await timeout(timeoutMs, TimeoutStrategy.Aggressive).execute(({ signal }) =>
            client.api.files.delete(
              { fileId, supportsAllDrives: true },
              { rootUrl: client.rootUrl, signal, timeout: timeoutMs, retry: false, fetchImplementation: client.fetch },
            ),
          );
        } catch (err) {
          throw toDriveFailure(err, timeoutMs);
        }
      },
      isDriveOutage,
    );
    return "deleted";
  } catch (err) {
    if (err instanceof UpstreamError && err.status === 404) return "already_gone";
    throw err;
  }
}
