/**
 * Reply windows (FACTS §15), as data: how long after the user's last message each kind of
 * message may go out. Computed from the database clock's `now`, never the process clock.
 */
import type { SenderKind, WindowAllowance, WindowQuery } from "./adapter.js";

const HOUR_MS = 3_600_000;
/** WhatsApp's customer service window and Messenger's standard messaging window. */
export const STANDARD_WINDOW_HOURS = 24;
/** Messenger's HUMAN_AGENT tag: a person may reply up to 7 days after the user's last message. */
export const HUMAN_AGENT_WINDOW_HOURS = 7 * 24;

/** The end of a window of `hours` opened at `lastInboundAt`, if it is still open at `now`. */
export function openUntil(lastInboundAt: string | null, now: string, hours: number): string | null {
  if (!lastInboundAt) return null;
  const start = Date.parse(lastInboundAt);
  const at = Date.parse(now);
  if (Number.isNaN(start) || Number.isNaN(at)) return null;
  const end = start + hours * HOUR_MS;
  return at < end ? new Date(end).toISOString() : null;
}

/** WhatsApp: free text for 24 h, then only the approved template (when one is configured). */
export function whatsappWindow(q: WindowQuery, templateName: string | undefined): WindowAllowance {
  const until = openUntil(q.lastInboundAt, q.now, STANDARD_WINDOW_HOURS);
  if (until) return { allowed: "free_text", until };
  if (templateName) return { allowed: "template", template: templateName, until: null };
  return { allowed: "nothing", until: null, reason: "WhatsApp's 24-hour customer service window is closed and no approved template is configured (WHATSAPP_TEMPLATE_NAME)" };
}

/** Messenger: free text for 24 h; then a person (not the assistant) may reply tagged HUMAN_AGENT up to 7 days. */
export function messengerWindow(q: WindowQuery): WindowAllowance {
  const until = openUntil(q.lastInboundAt, q.now, STANDARD_WINDOW_HOURS);
  if (until) return { allowed: "free_text", until };
  const tagUntil = humanAgentUntil(q.sender, q.lastInboundAt, q.now);
  if (tagUntil) return { allowed: "tag", tag: "HUMAN_AGENT", until: tagUntil };
  return {
    allowed: "nothing",
    until: null,
    reason: q.sender === "owner"
      ? "more than 7 days since the user's last message: Messenger allows no reply, even tagged HUMAN_AGENT"
      : "Messenger's 24-hour standard messaging window is closed; only a person may reply after it (HUMAN_AGENT tag)",
  };
}

export function humanAgentUntil(sender: SenderKind, lastInboundAt: string | null, now: string): string | null {
  return sender === "owner" ? openUntil(lastInboundAt, now, HUMAN_AGENT_WINDOW_HOURS) : null;
}
