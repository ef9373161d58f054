/**
 * POST /api/whatsapp-webhook and /api/messenger-webhook, in a fixed order:
 *   1. verify X-Hub-Signature-256 on the raw body with the App Secret (401 invalid_signature,
 *      nothing parsed or stored; 503 not_configured when there is no secret to check with);
 *   2. parse (every entry, change, message and status; malformed parts are skipped and logged;
 *      U+0000 and lone surrogates replaced by U+FFFD);
 *   3. one round trip claims the message ids, queues a job per claimed message and records
 *      statuses and windows;
 *   4. answer 200 at once; after the response (waitUntil) a signed call hands the jobs to the
 *      worker route, which answers them in its own invocation (dispatch.ts, jobs.ts).
 * Only this is loaded before the 200: the code that answers is imported by the worker.
 * Unknown objects and events get 200 too (Meta would retry anything else for days).
 */
import { ApiError } from "../errors.js";
import { normaliseText } from "../route/text.js";
import type { Services } from "../services.js";
import { ingestDelivery } from "./ingest.js";
import { ledgerAdapter } from "./registry.js";
import { assertMetaSignature } from "./signature.js";
import type { ChannelName, StatusItem } from "./types.js";

export interface WebhookAck {
  received: true;
  /** Messages claimed by this delivery (answered after the response). */
  messages: number;
  /** Messages already claimed by an earlier or parallel delivery. */
  duplicates: number;
  /** Status callbacks recorded for the first time. */
  statuses: number;
}

/** The App Secret the channel's signatures are checked with. */
export function appSecretOf(services: Services, channel: ChannelName): string | undefined {
  return ledgerAdapter(channel).appSecret(services);
}

export async function handleMetaWebhook(
  services: Services,
  channel: ChannelName,
  input: { rawBody: string; signature: string | null; waitUntil: (p: Promise<unknown>) => void },
): Promise<WebhookAck> {
  const adapter = ledgerAdapter(channel);
  const secret = adapter.appSecret(services);
  if (!secret) throw new ApiError("not_configured", `${adapter.label} is not configured (META_APP_SECRET is not set).`);
  assertMetaSignature(input.rawBody, input.signature, secret);

  let payload: unknown;
  try {
    payload = JSON.parse(input.rawBody);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
  // Text PostgreSQL cannot store (U+0000, lone surrogates) is replaced, never refused: Meta would
  // redeliver a refused (signed, genuine) delivery for days.
  payload = normaliseText(payload, [], "replace");

  const { messages, statuses, skipped, ignored } = adapter.parse(services, payload);
  for (const [reason, count] of Object.entries(ignored)) services.log.info("webhook parts ignored", { channel, reason, count });
  if (skipped) services.log.warn("webhook parts not understood (skipped)", { channel, skipped });
  // Meta could not deliver one of our messages: say so once per callback (the error code, no recipient).
  for (const s of statuses) {
    if (s.status === "failed") services.log.warn("channel message delivery failed", { channel, code: metaErrorCode(s.errors) });
  }

  const outcome = await ingestDelivery(services, channel, messages, statuses);
  // Only the acknowledgement that found the worker asleep calls it: a draining worker takes the new jobs.
  if (outcome.wake) input.waitUntil(import("./dispatch.js").then(({ dispatchQueued }) => dispatchQueued(services)));
  return { received: true, messages: outcome.claimed.length, duplicates: outcome.duplicates, statuses: outcome.statuses.recorded };
}

/** The first error code of a status callback (`errors[0].code`), if any. */
function metaErrorCode(errors: StatusItem["errors"]): string | undefined {
  const code = (errors?.[0] as { code?: unknown } | undefined)?.code;
  return typeof code === "number" || typeof code === "string" ? String(code) : undefined;
}
