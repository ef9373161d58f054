/**
 * Email against a real SMTP server in the test process: TLS/port settings, the recipient
 * allowlist, escaping of everything a visitor can type, the text part, the brand, and the
 * outbox folder used when SMTP is not configured.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../lib/config.js";
import { EmailError, isRecipientAllowed, renderNotificationEmail, sendEmail, smtpOptions } from "../../lib/integrations/email/index.js";
import { notify } from "../../lib/notifications/index.js";
import type { Services } from "../../lib/services.js";
import { createTestServices } from "../helpers/services.js";
import { startSmtpServer, type TestSmtpServer } from "./smtp-server.js";

let smtp: TestSmtpServer;
const opened: Services[] = [];
async function services(env: Record<string, string>) {
  const s = await createTestServices(env);
  opened.push(s);
  return s;
}
const message = { subject: "Bonjour", text: "Texte", html: "<p>Texte</p>" };

beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterEach(async () => {
  smtp.received.length = 0;
  await Promise.all(opened.splice(0).map((s) => s.store.close()));
});
afterAll(() => smtp.close());

describe("SMTP port and TLS settings", () => {
  it.each([
    { env: { SMTP_PORT: "465" }, secure: true, requireTLS: true },
    { env: { SMTP_PORT: "587" }, secure: false, requireTLS: true },
    { env: { SMTP_PORT: "25" }, secure: false, requireTLS: true },
    { env: { SMTP_PORT: "465", SMTP_SECURE: "false" }, secure: false, requireTLS: true },
    { env: { SMTP_PORT: "2525", SMTP_SECURE: "true" }, secure: true, requireTLS: false },
    { env: { SMTP_PORT: "587", SMTP_USER: "", SMTP_PASS: "", SMTP_FROM: "shop@example.com" }, secure: false, requireTLS: false },
  ])("port/secure $env -> secure $secure", ({ env, secure, requireTLS }) => {
    const config = loadConfig({ SMTP_HOST: "smtp.example.com", SMTP_USER: "u@example.com", SMTP_PASS: "p", SMTP_TIMEOUT_MS: "3000", ...env });
    if (!config.email.configured) throw new Error("expected SMTP to be configured");
    const options = smtpOptions(config.email);
    expect(options).toMatchObject({ host: "smtp.example.com", secure, connectionTimeout: 3000, greetingTimeout: 3000, socketTimeout: 3000, dnsTimeout: 3000 });
    // With credentials and no implicit TLS, STARTTLS is mandatory (never a password in clear).
    expect(!!options.requireTLS).toBe(secure ? false : requireTLS);
  });

  it("delivers over plain SMTP when secure is false, with an HTML and a text part", async () => {
    const s = await services(smtp.env());
    const sent = await sendEmail(s, { to: "owner@example.com", ...message, replyTo: "marie@example.fr" });
    expect(sent.transport).toBe("smtp");
    const [got] = await smtp.waitFor(1);
    expect(got!.to).toEqual(["owner@example.com"]);
    expect(got!.from).toBe("shop@example.com");
    expect(got!.mail.subject).toBe("Bonjour");
    expect(got!.mail.text?.trim()).toBe("Texte");
    expect(got!.mail.html).toContain("<p>Texte</p>");
    expect(got!.mail.replyTo?.text).toBe("marie@example.fr");
  });

  it("fails as a retryable send failure when secure=true meets a plain server, quickly", async () => {
    const s = await services(smtp.env({ SMTP_SECURE: "true" }));
    const started = Date.now();
    const failure = sendEmail(s, { to: "owner@example.com", ...message });
    await expect(failure).rejects.toBeInstanceOf(EmailError);
    await expect(failure).rejects.toMatchObject({ code: "smtp_failed", retryable: true });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(smtp.received).toHaveLength(0);
  });

  it("refuses to send credentials to a server that offers no STARTTLS", async () => {
    const s = await services(smtp.env({ SMTP_USER: "shop@example.com", SMTP_PASS: "secret-password" }));
    await expect(sendEmail(s, { to: "owner@example.com", ...message })).rejects.toMatchObject({ code: "smtp_failed" });
    expect(smtp.authAttempts).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });
});

describe("recipient allowlist (ADMIN_EMAIL_ALLOWED_DOMAINS)", () => {
  it.each([
    { domains: [], to: "anyone@anywhere.org", allowed: true },
    { domains: ["example.com"], to: "owner@example.com", allowed: true },
    { domains: ["example.com"], to: "OWNER@EXAMPLE.COM", allowed: true },
    { domains: ["example.com"], to: "owner@evil-example.com", allowed: false },
    { domains: ["example.com"], to: "owner@example.com.evil.net", allowed: false },
    { domains: ["example.com"], to: "owner@sub.example.com", allowed: false },
    { domains: ["example.com"], to: "example.com@evil.org", allowed: false },
    { domains: ["example.com", "shop.fr"], to: "a@shop.fr", allowed: true },
    { domains: ["example.com"], to: "no-at-sign", allowed: false },
  ])("$domains allows $to: $allowed", ({ domains, to, allowed }) => {
    expect(isRecipientAllowed(to, domains)).toBe(allowed);
  });

  it("an empty ADMIN_EMAIL_ALLOWED_DOMAINS restricts nothing (the original blocked everyone)", async () => {
    const s = await services(smtp.env({ ADMIN_EMAIL_ALLOWED_DOMAINS: "" }));
    expect(s.config.email.allowedDomains).toEqual([]);
    await sendEmail(s, { to: "someone@anywhere.org", ...message });
    expect((await smtp.waitFor(1))[0]!.to).toEqual(["someone@anywhere.org"]);
  });

  it("delivers to the listed domain in any case, and never to a look-alike domain", async () => {
    const s = await services(smtp.env({ ADMIN_EMAIL_ALLOWED_DOMAINS: "Example.COM" }));
    await sendEmail(s, { to: "Owner@EXAMPLE.com", ...message });
    await expect(sendEmail(s, { to: "boss@evil-example.com", ...message })).rejects.toMatchObject({ code: "recipient_not_allowed", retryable: false });
    await expect(sendEmail(s, { to: "owner@example.com, boss@evil-example.com", ...message })).rejects.toMatchObject({ code: "recipient_not_allowed" });
    await smtp.waitFor(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.received.map((m) => m.to.map((a) => a.toLowerCase()))).toEqual([["owner@example.com"]]);
  });

  it("an owner notification to a disallowed address is recorded as failed and not retried", async () => {
    const s = await services(smtp.env({ ADMIN_EMAIL_ALLOWED_DOMAINS: "example.com", NOTIFICATION_EMAIL: "x@evil-example.com" }));
    const [result] = await notify(s, { type: "test", dedupKey: "allow:1", subject: "S", message: "M", channels: ["email"] });
    expect(result).toMatchObject({ channel: "email", status: "failed" });
    expect(result!.error).toContain("recipient_not_allowed");
    expect(smtp.received).toHaveLength(0);
  });
});

describe("shopper messages", () => {
  it("a message to the shopper's own address is not held to the owner's allowlist", async () => {
    const s = await services(smtp.env({ ADMIN_EMAIL_ALLOWED_DOMAINS: "example.com", NOTIFICATION_EMAIL: "owner@example.com" }));
    const [result] = await notify(s, { type: "order_paid_shopper", dedupKey: "shopper:1", subject: "Merci", message: "M", channels: ["email"], to: "marie@gmail.test" });
    expect(result).toMatchObject({ channel: "email", status: "sent" });
    expect((await smtp.waitFor(1))[0]!.to).toEqual(["marie@gmail.test"]);
  });
});

describe("escaping and templates", () => {
  const attacks = {
    name: "<script>alert(1)</script>",
    email: '"><img src=x onerror=alert(1)>',
    phone: "+33 6<b>12</b>",
    message: "Bonjour & merci\n<a href=\"javascript:alert(1)\">clic</a> ' \"",
  };

  it("arrives with every visitor-typed value escaped in HTML and verbatim in the text part", async () => {
    const s = await services(smtp.env());
    const results = await notify(s, {
      type: "lead",
      dedupKey: "inject:1",
      subject: `Nouveau lead : ${attacks.name}`,
      message: attacks.message,
      fields: { Nom: attacks.name, Email: attacks.email, Téléphone: attacks.phone, Message: attacks.message },
      channels: ["email"],
    });
    expect(results).toMatchObject([{ channel: "email", status: "sent", transport: "smtp" }]);
    const [got] = await smtp.waitFor(1);
    const html = String(got!.mail.html);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b>12/);
    expect(html).not.toMatch(/<a href/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    expect(html).toContain("Bonjour &amp; merci");
    expect(html).toContain("&#39; &quot;");
    const text = got!.mail.text ?? "";
    expect(text).toContain(`Nom: ${attacks.name}`);
    expect(text).toContain(`Email: ${attacks.email}`);
    expect(text).toContain(`Téléphone: ${attacks.phone}`);
    expect(text).toContain("Bonjour & merci");
  });

  it("cannot inject headers through the subject", async () => {
    const s = await services(smtp.env());
    await notify(s, { type: "t", dedupKey: "hdr:1", subject: "Hi\r\nBcc: victim@evil.org\r\nX-Evil: 1", message: "m", channels: ["email"] });
    const [got] = await smtp.waitFor(1);
    expect(got!.to).toEqual(["owner@example.com"]);
    expect(got!.mail.headers.has("bcc")).toBe(false);
    expect(got!.mail.headers.has("x-evil")).toBe(false);
    expect(got!.mail.subject).toBe("[Comptoir] Hi Bcc: victim@evil.org X-Evil: 1");
  });

  it("uses BRAND_NAME and BRAND_COLOR", async () => {
    const s = await services(smtp.env({ BRAND_NAME: "Bougies & Co", BRAND_COLOR: "#ff6600" }));
    await notify(s, { type: "t", dedupKey: "brand:1", subject: "Sujet", message: "m", channels: ["email"] });
    const [got] = await smtp.waitFor(1);
    expect(got!.mail.subject).toBe("[Bougies & Co] Sujet");
    expect(String(got!.mail.html)).toContain("background:#ff6600");
    expect(String(got!.mail.html)).toContain("Bougies &amp; Co");
  });

  it("never puts an unvalidated colour into the HTML", () => {
    const out = renderNotificationEmail({ brandName: "B", brandColor: 'red;"><script>', subject: "s", message: "m" });
    expect(out.html).not.toContain("<script>");
    expect(out.html).toContain("background:#1f6feb");
  });
});

describe("outbox folder when SMTP is not configured", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "comptoir-outbox-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes each message as an .eml file that a mail reader parses", async () => {
    const s = await services({ OUTBOX_DIR: path.join(dir, "nested", "outbox"), NOTIFICATION_EMAIL: "owner@example.com" });
    const results = await notify(s, { type: "t", dedupKey: "outbox:1", subject: "Local", message: "Bonjour <b>", fields: { A: "1" } });
    expect(results).toEqual([
      expect.objectContaining({ channel: "email", status: "sent", transport: "outbox", outboxPath: expect.stringMatching(/\.eml$/) }),
      expect.objectContaining({ channel: "whatsapp", status: "skipped_not_configured" }),
    ]);
    const files = await readdir(path.join(dir, "nested", "outbox"));
    expect(files).toHaveLength(1);
    const mail = await simpleParser(await readFile(path.join(dir, "nested", "outbox", files[0]!)));
    expect(mail.subject).toBe("[Comptoir] Local");
    expect(mail.text).toContain("A: 1");
    expect(String(mail.html)).toContain("Bonjour &lt;b&gt;");
    expect((mail.to as { text: string }).text).toBe("owner@example.com");
    expect(smtp.received).toHaveLength(0);
  });
});
