/**
 * handoff_to_human: marks the turn as a hand-off. The switch to `human` mode happens when the
 * turn is stored (chat_turn_finish, atomic: only the first hand-off of a bot conversation
 * counts), then the owner is notified once and the transcript archived (lib/assistant/handoff.ts).
 */
import { addNote, type TurnContext } from "../context.js";
import { clip } from "../format.js";
import { texts } from "../texts.js";
import type { HandoffInput } from "./schemas.js";

export type HandoffResult = { status: "handed_off"; message: string } | { status: "unavailable" };

export function handoffTool(ctx: TurnContext, input: HandoffInput): Promise<HandoffResult> {
  const t = texts(ctx.lang);
  if (!ctx.conversationId) {
    ctx.draft.tools.push({ name: "handoff_to_human", status: "unavailable" });
    addNote(ctx.draft, t.handoffUnavailable);
    return Promise.resolve({ status: "unavailable" });
  }
  ctx.draft.handoffReason ??= clip(input.reason?.trim() || "asked for a person", 300);
  addNote(ctx.draft, t.handoff);
  ctx.draft.tools.push({ name: "handoff_to_human", status: "handed_off" });
  return Promise.resolve({
    status: "handed_off",
    message: "A person from the shop will answer in this conversation. Tell the shopper so in one short sentence; do not call other tools.",
  });
}
