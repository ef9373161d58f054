/**
 * Builds the google-auth-library client for the configured method (dynamic import: the library
 * loads on the first upload). Credentials are checked here and errors never echo a secret.
 */
import { createPrivateKey } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { OAuth2Client } from "google-auth-library";
import type { Config } from "../../config.js";
import { DriveError, NOT_CONFIGURED_MESSAGE, READ_ONLY_MESSAGE } from "./errors.js";

export type DriveAuth = Extract<Config["drive"], { configured: true }>["auth"];
export type TransportOptions = { timeout: number; retry: false; fetchImplementation: typeof fetch };

/** The auth method that can write, or a DriveError saying why there is none. */
export function writableAuth(drive: Config["drive"]): Exclude<DriveAuth, { method: "api_key" }> {
  if (!drive.configured) throw new DriveError("not_configured", NOT_CONFIGURED_MESSAGE);
  if (drive.auth.method === "api_key") throw new DriveError("read_only", READ_ONLY_MESSAGE);
  return drive.auth;
}

export async function createAuthClient(
  auth: Exclude<DriveAuth, { method: "api_key" }>,
  scopes: string[],
  transporterOptions: TransportOptions,
): Promise<OAuth2Client> {
  const { JWT, OAuth2Client } = await import("google-auth-library");
  switch (auth.method) {
    case "service_account_json": {
      const key = checkedKey(auth.credentials.private_key, "GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON");
      return new JWT({ email: auth.credentials.client_email, key, scopes, transporterOptions });
    }
    case "service_account_path": {
      const sa = await readServiceAccountFile(auth.path);
      return new JWT({ email: sa.client_email, key: sa.private_key, scopes, transporterOptions });
    }
    case "oauth": {
      // Scopes were granted with the refresh token; they cannot be widened here.
      const client = new OAuth2Client({ clientId: auth.clientId, clientSecret: auth.clientSecret, transporterOptions });
      client.setCredentials({ refresh_token: auth.refreshToken });
      return client;
    }
    default: {
      const never: never = auth;
      throw new Error(`unknown Drive auth method ${String((never as { method?: string }).method)}`);
    }
  }
}

async function readServiceAccountFile(path: string): Promise<{ client_email: string; private_key: string }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new DriveError("invalid_credentials", `GOOGLE_DRIVE_SERVICE_ACCOUNT_PATH: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new DriveError("invalid_credentials", `GOOGLE_DRIVE_SERVICE_ACCOUNT_PATH: ${path} is not valid JSON (content not shown)`);
  }
  if (typeof v.client_email !== "string" || typeof v.private_key !== "string") {
    throw new DriveError("invalid_credentials", `GOOGLE_DRIVE_SERVICE_ACCOUNT_PATH: ${path} is not a service-account key (needs client_email and private_key; content not shown)`);
  }
  return { client_email: v.client_email, private_key: checkedKey(v.private_key, "GOOGLE_DRIVE_SERVICE_ACCOUNT_PATH") };
}

/** A PEM private key that Node can read, or a DriveError naming the variable (not the key). */
function checkedKey(pem: string, variable: string): string {
  try {
    createPrivateKey(pem);
    return pem;
  } catch {
    throw new DriveError("invalid_credentials", `${variable}: private_key is not a valid PEM private key (value not shown)`);
  }
}
