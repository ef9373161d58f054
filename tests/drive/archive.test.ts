import { delay, HttpResponse } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../lib/config.js";
import { archiveDocument } from "../../lib/integrations/drive/index.js";
import { createLogger } from "../../lib/log.js";
import { createServices, type Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { BASE_ENV } from "../helpers/services.js";
import { createTestStore } from "../helpers/store.js";
import { DRIVE_BASE, driveError, googleFake, serviceAccount } from "./fake-google.js";

const server = useMsw();
let store: PgliteStore;
let fake: ReturnType<typeof googleFake>;
let lines: string[];

beforeAll(async () => {
  store = await createTestStore();
});
afterAll(() => store.close());
beforeEach(async () => {
  await store.db.query("delete from public.app_breaker");
  await store.db.query("delete from public.drive_archive");
  fake = googleFake();
  lines = [];
  server.use(fake.token, fake.upload());
});

async function servicesWith(env: Record<string, string>): Promise<Services> {
  const config = loadConfig({ ...BASE_ENV, GOOGLE_API_BASE_URL: DRIVE_BASE, ...env });
  return { ...(await createServices(config, store)), log: createLogger("debug", {}, (line) => void lines.push(line)) };
}
const DRIVE = { GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON: serviceAccount("archiver@comptoir-test.iam.gserviceaccount.com"), WORKFLOWS_DEFAULT_DRIVE_FOLDER_ID: "shared-archive" };

const transcript = {
  kind: "transcript" as const,
  id: "conv_7f3a/handoff-1",
  title: "Question sur une table en chêne",
  markdown: "# Conversation\n\n**Client**: Bonjour, je voudrais un devis pour marie@example.com\n",
};

async function row(kind: string, ref: string) {
  const r = await store.db.query<{ status: string; attempts: number; file_id: string | null; last_error: string | null }>(
    "select status, attempts, file_id, last_error from public.drive_archive where kind = $1 and ref_id = $2",
    [kind, ref],
  );
  return r.rows[0];
}

describe("archiveDocument", () => {
  it("uploads the Markdown into the default folder and records the file", async () => {
    const services = await servicesWith(DRIVE);
    const file = await archiveDocument(services, transcript);
    expect(file).toMatchObject({ fileId: "1AbC1", viewUrl: expect.stringContaining("1AbC1") });
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]!.metadata).toEqual({ name: "transcript-conv_7f3a handoff-1 Question sur une table en chêne.md", parents: ["shared-archive"] });
    expect(fake.uploads[0]!.body).toContain("content-type: text/markdown");
    expect(fake.uploads[0]!.body).toContain("je voudrais un devis");
    expect(await row("transcript", transcript.id)).toMatchObject({ status: "done", attempts: 1, file_id: "1AbC1" });
  });

  it("returns null and only logs when Drive is not configured", async () => {
    const services = await servicesWith({});
    await expect(archiveDocument(services, transcript)).resolves.toBeNull();
    expect(fake.uploads).toHaveLength(0);
    expect(await row("transcript", transcript.id)).toBeUndefined();
    expect(lines.some((l) => l.includes('"drive archive skipped"') && l.includes('"not_configured"'))).toBe(true);
  });

  it("returns null with an API key only (read-only) and never calls Google", async () => {
    const services = await servicesWith({ GOOGLE_DRIVE_API_KEY: "AIzaSyD-test-key" });
    await expect(archiveDocument(services, transcript)).resolves.toBeNull();
    expect(fake.tokens).toHaveLength(0);
    expect(lines.some((l) => l.includes('"read_only"'))).toBe(true);
  });

  it("archives a document once: a second call returns the same file without uploading", async () => {
    const services = await servicesWith(DRIVE);
    const first = await archiveDocument(services, { ...transcript, kind: "quote", id: "Q-1042" });
    const second = await archiveDocument(services, { ...transcript, kind: "quote", id: "Q-1042" });
    expect(second).toEqual(first);
    expect(fake.uploads).toHaveLength(1);
  });

  it("uploads once when two instances archive the same document at the same time", async () => {
    server.use(fake.upload(async () => {
      await delay(150);
      return HttpResponse.json({ id: "1Only" });
    }));
    const [a, b] = await Promise.all([servicesWith(DRIVE), servicesWith(DRIVE)]);
    const results = await Promise.all([archiveDocument(a, transcript), archiveDocument(b, transcript)]);
    expect(fake.uploads).toHaveLength(1);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await row("transcript", transcript.id)).toMatchObject({ status: "done", file_id: "1Only" });
  });

  it("never throws on a Drive outage: logs, records the failure, and a later call retries", async () => {
    server.use(fake.upload(() => driveError(503, "backendError")));
    const services = await servicesWith(DRIVE);
    await expect(archiveDocument(services, transcript)).resolves.toBeNull();
    expect(await row("transcript", transcript.id)).toMatchObject({ status: "failed", attempts: 1, last_error: expect.stringContaining("503") });
    const failedLine = lines.find((l) => l.includes('"drive archive failed"'));
    expect(failedLine).toBeDefined();
    expect(failedLine).not.toContain("marie@example.com");

    server.use(fake.upload());
    const retried = await archiveDocument(services, transcript);
    expect(retried?.fileId).toBeTruthy();
    expect(await row("transcript", transcript.id)).toMatchObject({ status: "done", attempts: 2 });
  });

  it("never throws when the database is down either", async () => {
    const services = await servicesWith(DRIVE);
    const broken = { ...services, store: { ...services.store, kind: services.store.kind, roundTrips: 0, close: async () => {}, rpc: async () => { throw Object.assign(new Error("connection refused"), { name: "StoreError" }); } } };
    await expect(archiveDocument(broken, transcript)).resolves.toBeNull();
    expect(fake.uploads).toHaveLength(0);
  });
});
