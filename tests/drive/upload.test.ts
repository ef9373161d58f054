import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { HttpResponse, delay, http } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../lib/config.js";
import { BreakerOpenError, UpstreamError } from "../../lib/http/errors.js";
import { DriveError, uploadToDrive } from "../../lib/integrations/drive/index.js";
import { createLogger } from "../../lib/log.js";
import { createServices, type Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { BASE_ENV } from "../helpers/services.js";
import { createTestStore } from "../helpers/store.js";
import { DRIVE_BASE, PRIVATE_KEY, driveError, googleFake, serviceAccount } from "./fake-google.js";

const server = useMsw();
let store: PgliteStore;
let fake: ReturnType<typeof googleFake>;
const dir = mkdtempSync(path.join(tmpdir(), "comptoir-drive-"));
const keyFile = path.join(dir, "sa.json");
writeFileSync(keyFile, serviceAccount("from-file@comptoir-test.iam.gserviceaccount.com"));

const INLINE = { GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON: serviceAccount("inline@comptoir-test.iam.gserviceaccount.com") };
const FILE = { GOOGLE_DRIVE_SERVICE_ACCOUNT_PATH: keyFile };
const OAUTH = { GOOGLE_DRIVE_CLIENT_ID: "client-123.apps.googleusercontent.com", GOOGLE_DRIVE_CLIENT_SECRET: "GOCSPX-secret", GOOGLE_DRIVE_REFRESH_TOKEN: "1//refresh-token-abcdefghijklmnopqrstuvwxyz" };
const API_KEY = { GOOGLE_DRIVE_API_KEY: "AIzaSyD-test-key" };

beforeAll(async () => {
  store = await createTestStore();
});
afterAll(() => store.close());
beforeEach(async () => {
  await store.db.query("delete from public.app_breaker");
  fake = googleFake();
  server.use(fake.token, fake.upload());
});

async function driveServices(env: Record<string, string>, lines?: string[]): Promise<Services> {
  const config = loadConfig({ ...BASE_ENV, GOOGLE_API_BASE_URL: DRIVE_BASE, WORKFLOWS_DEFAULT_DRIVE_FOLDER_ID: "folder-default", ...env });
  const services = await createServices(config, store);
  return lines ? { ...services, log: createLogger("info", {}, (line) => void lines.push(line)) } : services;
}

const QUOTE = { content: "# Devis A1042\n\nTable en chêne — 450.00 EUR\n", mimeType: "text/markdown", filename: "quote-A1042.md" };

describe("Drive auth methods, in order of priority", () => {
  it("uses the inline service-account JSON first, even when a key file, OAuth and an API key are set too", async () => {
    const services = await driveServices({ ...INLINE, ...FILE, ...OAUTH, ...API_KEY });
    const file = await uploadToDrive(services, { ...QUOTE, folderId: "shared-drive-folder-9" });

    expect(fake.tokens).toEqual([
      { grant: "jwt", iss: "inline@comptoir-test.iam.gserviceaccount.com", scope: "https://www.googleapis.com/auth/drive.file", signatureValid: true },
    ]);
    expect(fake.uploads).toHaveLength(1);
    const up = fake.uploads[0]!;
    expect(up.authorization).toBe("Bearer ya29.sa-inline");
    expect(up.query.get("uploadType")).toBe("multipart");
    expect(up.query.get("supportsAllDrives")).toBe("true");
    expect(up.contentType).toMatch(/^multipart\/related; boundary=/);
    expect(up.metadata).toEqual({ name: "quote-A1042.md", parents: ["shared-drive-folder-9"] });
    expect(up.body).toContain("content-type: text/markdown");
    expect(up.body).toContain("Table en chêne — 450.00 EUR");
    expect(file).toEqual({
      fileId: "1AbC1",
      viewUrl: "https://drive.google.com/file/d/1AbC1/view",
      downloadUrl: "https://drive.google.com/uc?id=1AbC1&export=download",
    });
  });

  it("uses the service-account key file when no inline JSON is set", async () => {
    const services = await driveServices({ ...FILE, ...OAUTH, ...API_KEY });
    await uploadToDrive(services, QUOTE);
    expect(fake.tokens).toEqual([expect.objectContaining({ grant: "jwt", iss: "from-file@comptoir-test.iam.gserviceaccount.com", signatureValid: true })]);
    expect(fake.uploads[0]!.authorization).toBe("Bearer ya29.sa-from-file");
    expect(fake.uploads[0]!.metadata.parents).toEqual(["folder-default"]);
  });

  it("uses the OAuth refresh token when no service account is set", async () => {
    const services = await driveServices({ ...OAUTH, ...API_KEY });
    await uploadToDrive(services, QUOTE);
    expect(fake.tokens).toEqual([{ grant: "refresh", refreshToken: OAUTH.GOOGLE_DRIVE_REFRESH_TOKEN, clientId: OAUTH.GOOGLE_DRIVE_CLIENT_ID }]);
    expect(fake.uploads[0]!.authorization).toBe("Bearer ya29.oauth-user");
  });

  it("refuses uploads with an API key only, with a clear error and without calling Google", async () => {
    const services = await driveServices(API_KEY);
    const upload = uploadToDrive(services, QUOTE);
    await expect(upload).rejects.toBeInstanceOf(DriveError);
    await expect(upload).rejects.toMatchObject({ code: "read_only", message: expect.stringMatching(/API key only.*read-only.*GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON/) });
    expect(fake.tokens).toHaveLength(0);
    expect(fake.uploads).toHaveLength(0);
  });

  it("refuses uploads when Drive is not configured", async () => {
    const services = await driveServices({});
    await expect(uploadToDrive(services, QUOTE)).rejects.toMatchObject({ name: "DriveError", code: "not_configured" });
  });

  it("asks for the scopes of GOOGLE_DRIVE_SCOPES", async () => {
    const services = await driveServices({ ...INLINE, GOOGLE_DRIVE_SCOPES: "https://www.googleapis.com/auth/drive, https://www.googleapis.com/auth/drive.metadata" });
    await uploadToDrive(services, QUOTE);
    expect(fake.tokens[0]!.scope).toBe("https://www.googleapis.com/auth/drive https://www.googleapis.com/auth/drive.metadata");
  });

  it("reuses the access token for the next upload of the same instance", async () => {
    const services = await driveServices(INLINE);
    await uploadToDrive(services, QUOTE);
    await uploadToDrive(services, { ...QUOTE, filename: "quote-A1043.md" });
    expect(fake.tokens).toHaveLength(1);
    expect(fake.uploads.map((u) => u.metadata.name)).toEqual(["quote-A1042.md", "quote-A1043.md"]);
  });
});

describe("Drive credentials never leak", () => {
  it("fails at startup on invalid inline JSON without printing it", () => {
    const secret = '{"client_email":"x@y.z","private_key":"-----BEGIN PRIVATE KEY-----SECRETKEYMATERIAL';
    let error: unknown;
    try {
      loadConfig({ ...BASE_ENV, GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON: secret });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON");
    expect((error as Error).message).not.toContain("SECRETKEYMATERIAL");
  });

  it("names the variable, not the key, when the private key is not a PEM key", async () => {
    const services = await driveServices({ GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON: JSON.stringify({ client_email: "a@b.iam.gserviceaccount.com", private_key: "not-a-key-SECRET" }) });
    const upload = uploadToDrive(services, QUOTE);
    await expect(upload).rejects.toMatchObject({ name: "DriveError", code: "invalid_credentials" });
    await expect(upload).rejects.toThrow(/GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON/);
    await expect(upload).rejects.not.toThrow(/SECRET/);
  });

  it("names the key file, not its content, when it is not a service-account key", async () => {
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, `{"private_key": "${PRIVATE_KEY.slice(0, 60).replace(/\n/g, "\\n")}`);
    const services = await driveServices({ GOOGLE_DRIVE_SERVICE_ACCOUNT_PATH: bad });
    const upload = uploadToDrive(services, QUOTE);
    await expect(upload).rejects.toMatchObject({ code: "invalid_credentials", message: expect.stringContaining(bad) });
    await expect(upload).rejects.not.toThrow(/BEGIN PRIVATE KEY/);
  });

  it("logs one upstream line per outside call, with no token, key or file name", async () => {
    const lines: string[] = [];
    const services = await driveServices(INLINE, lines);
    await uploadToDrive(services, QUOTE);
    const upstream = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === "upstream");
    expect(upstream.map((l) => [l.service, l.method, l.path, l.status])).toEqual([
      ["drive", "POST", "/token", 200],
      ["drive", "POST", "/upload/drive/v3/files", 200],
    ]);
    expect(lines.join("\n")).not.toMatch(/ya29|PRIVATE KEY|quote-A1042|assertion/);
  });
});

describe("Drive failures", () => {
  it("turns a 503 into an UpstreamError without retrying the non-idempotent upload", async () => {
    server.use(fake.upload(() => driveError(503, "backendError")));
    const services = await driveServices(INLINE);
    const upload = uploadToDrive(services, QUOTE);
    await expect(upload).rejects.toBeInstanceOf(UpstreamError);
    await expect(upload).rejects.toMatchObject({ service: "drive", status: 503, code: "backendError", retryable: true });
    expect(fake.uploads).toHaveLength(1);
  });

  it("explains a storage-quota 403 (service account outside a Shared Drive)", async () => {
    server.use(fake.upload(() => driveError(403, "storageQuotaExceeded", "Service Accounts do not have storage quota.")));
    const services = await driveServices(INLINE);
    await expect(uploadToDrive(services, QUOTE)).rejects.toMatchObject({ status: 403, code: "storageQuotaExceeded", message: expect.stringMatching(/Shared Drive/) });
  });

  it("reports a refused refresh token as an UpstreamError that does not open the breaker", async () => {
    server.use(http.post("https://oauth2.googleapis.com/token", () => HttpResponse.json({ error: "invalid_grant", error_description: "Token has been expired or revoked." }, { status: 400 })));
    const services = await driveServices({ ...OAUTH, DRIVE_CB_FAILURE_THRESHOLD: "1" });
    await expect(uploadToDrive(services, QUOTE)).rejects.toMatchObject({ name: "UpstreamError", status: 400, code: "invalid_grant" });
    // A 4xx is our problem, not Drive's: the next call is still sent.
    await expect(uploadToDrive(services, QUOTE)).rejects.toMatchObject({ code: "invalid_grant" });
  });

  it("times out a hung upload after GOOGLE_DRIVE_TIMEOUT_MS", async () => {
    server.use(fake.upload(async () => {
      await delay(5000);
      return HttpResponse.json({ id: "late" });
    }));
    const services = await driveServices({ ...INLINE, GOOGLE_DRIVE_TIMEOUT_MS: "300" });
    const started = Date.now();
    await expect(uploadToDrive(services, QUOTE)).rejects.toMatchObject({ name: "UpstreamError", kind: "timeout" });
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("opens the shared drive breaker after repeated outages, then rejects without calling Drive", async () => {
    server.use(fake.upload(() => driveError(500, "backendError")));
    const services = await driveServices({ ...INLINE, DRIVE_CB_FAILURE_THRESHOLD: "2", DRIVE_CB_OPEN_MS: "60000" });
    await expect(uploadToDrive(services, QUOTE)).rejects.toMatchObject({ status: 500 });
    await expect(uploadToDrive(services, QUOTE)).rejects.toMatchObject({ status: 500 });
    await expect(uploadToDrive(services, QUOTE)).rejects.toBeInstanceOf(BreakerOpenError);
    expect(fake.uploads).toHaveLength(2);
  });

  it("refuses content over the 5 MB multipart limit before calling Google", async () => {
    const services = await driveServices(INLINE);
    await expect(uploadToDrive(services, { ...QUOTE, content: "x".repeat(5 * 1024 * 1024 + 1) })).rejects.toMatchObject({ code: "too_large" });
    expect(fake.tokens).toHaveLength(0);
  });
});
