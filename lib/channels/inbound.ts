/**
 * Inbound messages, after the signature check:
 *   1. `ingestDelivery` (ingest.ts, in the webhook's acknowledgement) — one round trip claims
 *      every message id of the delivery (a duplicate, sequential or concurrent, gets nothing),
 *      records the users' 24 h windows and the status callbacks, and leaves a 'working' row
 *      and a queued job per claimed message;
 *   2. `runWork` — in the worker's invocation (jobs.ts), or the retry job: each claimed message
 *      is answered (the assistant's turn, or a polite text-only answer) and the reply goes
 *      through the ledger. A failure is recorded on the work row and retried by the cron job.
 * Human mode: while the conversation is with a human, the bot sends nothing and the owner is
 * notified (deduplicated per user), the message itself being stored by the assistant.
 */
import type { Reply } from "../assistant/types.js";
import { ApiError } from "../errors.js";
import { notify } from "../notifications/index.js";
import { newRequestContext, requestContext } from "../request-context.js";
import type { Services } from "../services.js";
import { isOwnerPhone } from "../owner/relay.js";
import { deliverReply, outboundLeaseSeconds } from "./outbound.js";
import { ledgerAdapter } from "./registry.js";
import type { WorkItem } from "./ingest.js";
import { outboundBegin, workFail } from "./store.js";
import { channelTexts } from "./texts.js";

export { POLITE_QUIET_SECONDS, ingestDelivery, workLeaseSeconds, type IngestOutcome, type WorkItem } from "./ingest.js";

/** The first retry of failed work waits this long; the cron job backs off from there. */
export const WORK_RETRY_SECONDS = 120;

/** Answers claimed messages one after the other (conversation order); never throws. */
export async function processClaimed(services: Services, items: WorkItem[]): Promise<{ done: number; failed: number }> {
  let done = 0;
  let failed = 0;
  for (const item of items) {
    if (await runWork(services, item)) done++;
    else failed++;
  }
  return { done, failed };
}

/** Runs one message's work with its own time budget; records a failure for the retry job. */
export async function runWork(services: Services, item: WorkItem, retrySeconds = WORK_RETRY_SECONDS): Promise<boolean> {
  try {
    await withOwnBudget(services, () => answerInbound(services, item));
    return true;
  } catch (err) {
    const error = `${(err as Error)?.name ?? "Error"}: ${(err as Error)?.message ?? String(err)}`;
    services.log.error("channel message not answered (will be retried)", { channel: item.channel, action: item.action, error });
    try {
      await workFail(services.store, item.channel, item.messageId, error, retrySeconds);
    } catch (e) {
      // The work row keeps its lease; when it ends, the retry job takes the message over.
      services.log.error("channel work failure not recorded", { channel: item.channel, error: (e as Error)?.message });
    }
    return false;
  }
}

/** The assistant's turn (or the polite answer) for one message, then the reply through the ledger. */
export async function answerInbound(services: Services, item: WorkItem): Promise<void> {
  if (item.record.owner) {
    const { relayOwnerMessage } = await import("../owner/relay.js");
    await relayOwnerMessage(services, item.userId, item.record.owner.contextId, item.record.inbound.text);
    await complete(services, item);
    return;
  }
  if (item.action === "turn") {
    const { handleTurn } = await import("../assistant/index.js");
    const { rateSession } = services.config.chat;
    let turn;
    try {
      turn = await handleTurn(services, item.record.inbound, {
        rateLimits: [{ key: `chat:${item.channel}:${item.userId}`, limit: rateSession.limit, windowSeconds: rateSession.windowSeconds }],
      });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === "rate_limited")) throw err;
      // A flood (dozens of messages a minute) is not a shopper waiting for answers: stay quiet.
      services.log.warn("channel user over the chat rate limit: message recorded, not answered", { channel: item.channel });
      await complete(services, item);
      return;
    }
    const { conversationId, reply } = turn;
    if (isEmpty(reply)) {
      if (reply.handoff) await notifyHumanMode(services, item, conversationId);
      await complete(services, item);
      return;
    }
    await deliverReply(services, { channel: item.channel, userId: item.userId, sourceKey: item.messageId, reply, workMessageId: item.messageId });
    return;
  }
  // polite: the assistant cannot read this message; unless a human has the conversation.
  const conversation = await services.store.rpc<{ id: string; mode: string; language: string | null } | null>("chat_conversation_get", {
    p_channel: item.channel,
    p_user_key: item.userId,
  });
  if (conversation?.mode === "needs_human" || conversation?.mode === "human") {
    await notifyHumanMode(services, item, conversation.id);
    await complete(services, item);
    return;
  }
  const lang = conversation?.language === "en" || conversation?.language === "fr" ? conversation.language : services.config.app.defaultLanguage;
  const reply: Reply = { text: channelTexts(lang).polite[item.record.polite ?? "unsupported"], products: [], buttons: [], links: [], handoff: false };
  await deliverReply(services, { channel: item.channel, userId: item.userId, sourceKey: item.messageId, reply, workMessageId: item.messageId, lang });
}

const isEmpty = (r: Reply) => !r.text.trim() && !r.products?.length && !r.buttons?.length && !r.links?.length;

/** Marks the work done without sending anything (one round trip). */
function complete(services: Services, item: WorkItem) {
  return outboundBegin(services.store, {
    channel: item.channel,
    userId: item.userId,
    sourceKey: item.messageId,
    parts: [],
    configured: ledgerAdapter(item.channel).configured(services),
    leaseSeconds: outboundLeaseSeconds(services, item.channel),
    workMessageId: item.messageId,
  });
}

async function notifyHumanMode(services: Services, item: WorkItem, conversationId: string | null): Promise<void> {
  const t = channelTexts(services.config.app.defaultLanguage);
  const label = ledgerAdapter(item.channel).label;
  const text = item.record.inbound.text || `[${item.record.type}]`;
  try {
    await notify(services, {
      type: "handoff_message",
      dedupKey: `handoff-inbound:${item.channel}:${item.userId}`,
      subject: t.handoffSubject(label),
      message: t.handoffBody,
      fields: {
        Channel: label,
        Customer: item.record.inbound.userName ?? item.userId,
        Conversation: conversationId ?? "",
        Message: text.slice(0, 500),
      },
    });
  } catch (err) {
    // The owner's notification has its own retry; a store outage here must not re-run the turn.
    services.log.error("human-mode notification failed", { channel: item.channel, error: (err as Error)?.message });
  }
}

/** Runs `fn` with a fresh time budget (each message of a batch gets the full budget). */
async function withOwnBudget<T>(services: Services, fn: () => Promise<T>): Promise<T> {
  const parent = requestContext.getStore();
  const ctx = newRequestContext(services.config.app.requestBudgetMs);
  try {
    return await requestContext.run(ctx, fn);
  } finally {
    if (parent) {
      parent.roundTrips += ctx.roundTrips;
      parent.storeMs += ctx.storeMs;
      parent.breakerEvents.push(...ctx.breakerEvents);
    }
  }
}
