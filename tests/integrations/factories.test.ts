/**
 * Integration factories work from their own config slice and {store, log, breakers} alone (no
 * Services bag): what they send, what they store, and how an outage reaches the shared breaker.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { HttpResponse, http } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../lib/config.js";
import { UpstreamError } from "../../lib/http/errors.js";
import type { IntegrationDeps } from "../../lib/integrations/deps.js";
import { createEmailSender } from "../../lib/integrations/email/index.js";
import { createHfEmbedder } from "../../lib/integrations/huggingface/index.js";
import { createLogger } from "../../lib/log.js";
import type { PgliteStore } from "../../lib/store/pglite.js";
import { useMsw } from "../helpers/msw.js";
import { BASE_ENV } from "../helpers/services.js";
import { createTestStore } from "../helpers/store.js";

const HF = "http://hf.test";
const server = useMsw();
let store: PgliteStore;
let deps: IntegrationDeps;

beforeAll(async () => {
  store = await createTestStore();
});
afterAll(() => store.close());
beforeEach(async () => {
  await store.db.query("delete from public.app_breaker");
  const config = loadConfig({ ...BASE_ENV, HF_CB_FAILURE_THRESHOLD: "2" });
  deps = { store, log: createLogger("silent"), breakers: config.breakers };
});

async function breakerRow(name: string) {
  return (await store.rpc<{ name: string; failures: number; state: string }[]>("breaker_states")).find((b) => b.name === name);
}

describe("the Hugging Face embedder", () => {
  const hf = loadConfig({ ...BASE_ENV, HF_TOKEN: "hf_slice_token", HF_BASE_URL: HF }).hf;

  it("sends the E5 prefixes with its own token and returns unit vectors of the dimension it was built for", async () => {
    const sent: { url: string; auth: string | null; body: unknown }[] = [];
    server.use(
      http.post(`${HF}/hf-inference/models/*`, async ({ request }) => {
        sent.push({ url: request.url, auth: request.headers.get("authorization"), body: await request.json() });
        return HttpResponse.json([[3, 4, 0], [0, 0, 2]]);
      }),
    );
    const vectors = await createHfEmbedder(hf, deps, 3).embed(["livraison ?", "retours"], "query");
    expect(vectors).toEqual([[0.6, 0.8, 0], [0, 0, 1]]);
    expect(sent).toEqual([
      {
        url: `${HF}/hf-inference/models/intfloat/multilingual-e5-small/pipeline/feature-extraction`,
        auth: "Bearer hf_slice_token",
        body: { inputs: ["query: livraison ?", "query: retours"], normalize: true },
      },
    ]);
  });

  it("refuses vectors of another dimension than the one it stores", async () => {
    server.use(http.post(`${HF}/hf-inference/models/*`, () => HttpResponse.json([[1, 0, 0, 0]])));
    await expect(createHfEmbedder(hf, deps, 3).embed(["x"], "passage")).rejects.toMatchObject({ name: "EmbeddingShapeError" });
  });

  it("turns a 503 into an UpstreamError counted on the shared hf breaker in the store it was given", async () => {
    server.use(http.post(`${HF}/hf-inference/models/*`, () => HttpResponse.json({ error: "loading" }, { status: 503 })));
    const embedder = createHfEmbedder(hf, deps, 3);
    await expect(embedder.embed(["x"], "query", { retries: 0 })).rejects.toBeInstanceOf(UpstreamError);
    await expect(embedder.embed(["x"], "query", { retries: 0 })).rejects.toMatchObject({ status: 503 });
    expect(await breakerRow("hf")).toMatchObject({ state: "open", failures: 2 });
  });
});

describe("the email sender", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "comptoir-factory-outbox-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes to its outbox folder without SMTP, signed with the brand name of its slice", async () => {
    const email = loadConfig({ ...BASE_ENV, OUTBOX_DIR: dir, ADMIN_EMAIL_ALLOWED_DOMAINS: "example.com" }).email;
    const sent = await createEmailSender({ ...email, brandName: "Maison Sable" }, deps).send({ to: "owner@example.com", subject: "Bonjour", text: "Texte", html: "<p>Texte</p>" });
    expect(sent.transport).toBe("outbox");
    const eml = await readFile(sent.path!, "utf8");
    expect(eml).toMatch(/^From: Maison Sable <outbox@localhost>$/m);
    expect(eml).toMatch(/^To: owner@example\.com$/m);
  });

  it("refuses a recipient outside the allowlist of its slice, and writes nothing", async () => {
    const email = loadConfig({ ...BASE_ENV, OUTBOX_DIR: dir, ADMIN_EMAIL_ALLOWED_DOMAINS: "example.com" }).email;
    const sender = createEmailSender({ ...email, brandName: "Maison Sable" }, deps);
    const before = await readdir(dir);
    await expect(sender.send({ to: "boss@evil-example.com", subject: "x", text: "x", html: "x" })).rejects.toMatchObject({ code: "recipient_not_allowed", retryable: false });
    expect(await readdir(dir)).toEqual(before);
  });
});
