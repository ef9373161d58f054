/**
 * The local stand-in for SMTP: each message is written as an RFC 822 `.eml` file to
 * OUTBOX_DIR (default `.data/outbox`), which any mail client opens. Used when SMTP_HOST is unset.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { SendMailOptions } from "nodemailer";

export interface OutboxResult { messageId: string; path: string }

export async function writeToOutbox(dir: string, mail: SendMailOptions): Promise<OutboxResult> {
  const { default: nodemailer } = await import("nodemailer");
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  const info = await transport.sendMail(mail);
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = path.join(dir, `${stamp}-${randomBytes(4).toString("hex")}.eml`);
  await writeFile(file, info.message as Buffer, { flag: "wx" });
  return { messageId: info.messageId, path: file };
}
