/**
 * What a hand-off sets off after the reply: the owner notified once per hand-off (with who the
 * shopper is, never the web session id), and the transcript archived in Google Drive when it
 * is configured — all in waitUntil, none of it blocking the shopper.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { releaseConversation } from "../../lib/assistant/index.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { DRIVE_BASE, googleFake, serviceAccount } from "../drive/fake-google.js";
import { newUser, rows, say } from "./harness.js";

const OUTBOX = `/tmp/comptoir-test-outbox-handoff-${process.pid}`;
const server = useMsw();
let fake: ReturnType<typeof googleFake>;
let services: Services;

beforeAll(async () => {
  services = await createTestServices({
    OUTBOX_DIR: OUTBOX,
    NOTIFICATION_EMAIL: "owner@maison-lumiere.example",
    GOOGLE_API_BASE_URL: DRIVE_BASE,
    GOOGLE_DRIVE_SERVICE_ACCOUNT_JSON: serviceAccount("archiver@comptoir-test.iam.gserviceaccount.com"),
    WORKFLOWS_DEFAULT_DRIVE_FOLDER_ID: "shared-archive",
  });
});
beforeEach(() => {
  fake = googleFake();
  server.use(fake.token, fake.upload());
});
afterAll(async () => {
  await services.store.close();
  rmSync(OUTBOX, { recursive: true, force: true });
});

type Notification = { subject: string; fields: [string, string][]; recipient: string; dedup_key: string };
const notifications = (conversationId: string) =>
  rows<Notification>(services, "select subject, fields, recipient, dedup_key from app_notification where type = 'handoff' and dedup_key like $1 and channel = 'email' order by seq", [`handoff:${conversationId}:%`]);

describe("hand-off follow-ups", () => {
  it("notifies the owner once and archives the transcript, after the reply", async () => {
    const user = newUser();
    await say(services, user, "Bonjour, vous avez des robes ?");
    await say(services, user, "c'est marie.durand@example.fr");
    const deferred: Promise<unknown>[] = [];
    let settled = false;
    const r = await say(services, user, "je voudrais parler à un conseiller, c'est pour un mariage", {
      waitUntil: (p) => void deferred.push(p.finally(() => (settled = true))),
    });
    expect(r.reply.handoff).toBe(true);
    expect(deferred).toHaveLength(1);
    expect(settled).toBe(false); // the reply did not wait for the notification and the archive
    await Promise.all(deferred);

    const sent = await notifications(r.conversationId);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.recipient).toBe("owner@maison-lumiere.example");
    expect(sent[0]!.dedup_key).toBe(`handoff:${r.conversationId}:1`);
    expect(sent[0]!.subject).toMatch(/^Conversation #\d+ à reprendre : marie\.durand@example\.fr$/);
    const fields = Object.fromEntries(sent[0]!.fields);
    expect(fields).toMatchObject({ Canal: "web", Client: "marie.durand@example.fr", "Dernier message": "je voudrais parler à un conseiller, c'est pour un mariage", Conversation: r.conversationId });
    expect(JSON.stringify(sent[0])).not.toContain(user); // the web session id would let anyone continue the chat

    expect(fake.uploads).toHaveLength(1);
    const upload = fake.uploads[0]!;
    expect(upload.metadata.parents).toEqual(["shared-archive"]);
    expect(upload.body).toContain(`# Conversation ${r.conversationId}`);
    expect(upload.body).toContain("Bonjour, vous avez des robes ?");
    expect(upload.body).toContain("- Email: marie.durand@example.fr");
    expect(await rows(services, "select status from drive_archive where kind = 'transcript' and ref_id = $1", [`${r.conversationId}-1`])).toEqual([{ status: "done" }]);
  });

  it("does not notify again while the conversation stays with a person, and does after a release and a new hand-off", async () => {
    const user = newUser();
    const first = await say(services, user, "un humain svp");
    await say(services, user, "je veux parler à un humain !");
    expect(await notifications(first.conversationId)).toHaveLength(1);

    await releaseConversation(services, first.conversationId);
    await say(services, user, "talk to a human");
    const sent = await notifications(first.conversationId);
    expect(sent.map((n) => n.dedup_key)).toEqual([`handoff:${first.conversationId}:1`, `handoff:${first.conversationId}:2`]);
    expect(fake.uploads).toHaveLength(2);
  });

  it("tells a WhatsApp shopper's number to the owner, who can answer them there", async () => {
    const r = await say(services, "33612345678", "je veux parler à quelqu'un", { channel: "whatsapp", userName: "Marie" });
    const [n] = await notifications(r.conversationId);
    expect(n!.subject).toMatch(/^Conversation #\d+ à reprendre : Marie · 33612345678$/);
  });
});
