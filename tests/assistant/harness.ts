/** Shared set-up of the assistant tests: turns through handleTurn, rows read straight from PGlite. */
import { randomBytes } from "node:crypto";
import { handleTurn, type Channel, type TurnOptions, type TurnResult } from "../../lib/assistant/index.js";
import type { Services } from "../../lib/services.js";
import type { PgliteStore } from "../../lib/store/pglite.js";

export const newUser = () => `u_${randomBytes(12).toString("base64url")}`;
const newMessageId = () => `m_${randomBytes(9).toString("base64url")}`;

/** One turn of `userId` on `channel` (web by default). */
export function say(
  services: Services,
  userId: string,
  text: string,
  o: { payload?: string; channel?: Channel; messageId?: string; userName?: string; language?: string } & TurnOptions = {},
): Promise<TurnResult> {
  const { payload, channel, messageId, userName, language, ...opts } = o;
  return handleTurn(
    services,
    {
      channel: channel ?? "web",
      userId,
      messageId: messageId ?? newMessageId(),
      text,
      ...(payload ? { payload } : {}),
      ...(userName ? { userName } : {}),
      ...(language ? { language } : {}),
    },
    opts,
  );
}

export async function rows<T = Record<string, unknown>>(services: Services, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await (services.store as PgliteStore).db.query<T>(sql, params)).rows;
}

/** Every text of a reply a shopper would read (text + product names + button titles). */
export function shown(r: TurnResult): string {
  return [r.reply.text, ...r.reply.products.map((p) => p.name), ...r.reply.buttons.map((b) => b.title)].join("\n");
}

/** The payload of the first button whose payload starts with `prefix`. */
export function buttonPayload(r: TurnResult, prefix: string): string {
  const b = r.reply.buttons.find((x) => x.payload.startsWith(prefix));
  if (!b) throw new Error(`no ${prefix} button in ${JSON.stringify(r.reply.buttons)}`);
  return b.payload;
}
