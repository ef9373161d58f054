/**
 * The Drive API client of one Drive integration: built on the first upload (that is when the
 * Google packages are imported), then reused, so the auth client's token cache is reused too.
 * Every HTTP call it makes (token and API) goes through `loggingFetch`: one "upstream" log line each.
 */
import type { drive_v3 } from "@googleapis/drive";
import type { Config } from "../../config.js";
import type { Logger } from "../../log.js";
import { createAuthClient, writableAuth } from "./auth.js";

export interface DriveClient {
  api: drive_v3.Drive;
  /** GOOGLE_API_BASE_URL with a trailing slash. Pass it on each upload call too: the media
   * (upload) URL is built from the call's own options, not from the client's. */
  rootUrl: string;
  fetch: typeof fetch;
}

/** Returns the client of this `drive` config, building it on the first call. */
export function driveClientSource(drive: Config["drive"], log: Logger): () => Promise<DriveClient> {
  let client: Promise<DriveClient> | undefined;
  return () => {
    const auth = writableAuth(drive); // throws before anything is imported
    if (!client) {
      const building = (async (): Promise<DriveClient> => {
        const fetchImpl = loggingFetch(log);
        const authClient = await createAuthClient(auth, drive.scopes, { timeout: drive.timeoutMs, retry: false, fetchImplementation: fetchImpl });
        const { drive: createDrive } = await import("@googleapis/drive");
        const rootUrl = `${drive.baseUrl}/`;
        return { api: createDrive({ version: "v3", auth: authClient, rootUrl }), rootUrl, fetch: fetchImpl };
      })();
      client = building;
      // A failed build (unreadable key file, bad key) is not kept: the next call tries again.
      building.catch(() => {
        if (client === building) client = undefined;
      });
    }
    return client;
  };
}

/** fetch that logs one line per outside call (method, path without query, status, duration). */
export function loggingFetch(log: Logger): typeof fetch {
  return async (input, init) => {
    const started = performance.now();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    const line = (status: number | string) =>
      log.info("upstream", { service: "drive", method, host: url.host, path: url.pathname, status, durationMs: Math.round(performance.now() - started) });
    try {
      const res = await fetch(input, init);
      line(res.status);
      return res;
    } catch (err) {
      line((err as Error)?.name === "AbortError" || (err as Error)?.name === "TimeoutError" ? "timeout" : "network_error");
      throw err;
    }
  };
}
