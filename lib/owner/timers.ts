/**
 * The hand-off timers' cron step: "the shop will answer soon" after HANDOFF_WAIT_MINUTES
 * without an owner answer (once per hand-off), back to the assistant after HANDOFF_IDLE_HOURS
 * without activity; each line goes to the shopper on their channel. The same timers run when a
 * shopper's message arrives (chat_turn_begin) and when the inbox loads (owner_inbox). Expired
 * sign-in codes, sessions and links are removed here too.
 */
import type { Services } from "../services.js";
import { deliverEvents } from "./delivery.js";
import { timerArgs, type ShopperEvent } from "./store.js";
import { SESSION_IDLE_SECONDS } from "./tokens.js";

export async function runHandoffTimers(services: Services): Promise<Record<string, number>> {
  const t = timerArgs(services);
  const r = await services.store.rpc<{ events: ShopperEvent[]; removed: number }>("owner_cron", {
    p_wait_minutes: t.wait_minutes,
    p_idle_hours: t.idle_hours,
    p_lines: t.lines,
    p_default_lang: t.default_lang,
    p_idle_seconds: SESSION_IDLE_SECONDS,
  });
  await deliverEvents(services, r.events);
  return {
    wait_notices: r.events.filter((e) => e.kind === "wait").length,
    given_back: r.events.filter((e) => e.kind === "idle").length,
    expired_owner_rows: r.removed,
  };
}
