/**
 * The Meta Graph client: one factory taking its own config slice (the WhatsApp and Messenger
 * settings) and IntegrationDeps `{ store, log, breakers }`, never the whole services bag. Calls
 * go through lib/http (timeout, retries on 429/5xx/network inside the time budget, the shared
 * breakers "whatsapp" and "messenger").
 *
 * Sends are retried inline on 429/5xx/timeouts (`idempotent: true`) unless the caller says
 * otherwise: Graph has no idempotency key, so a 5xx or a timeout after Meta accepted the message
 * may, rarely, deliver it twice; we prefer that to a reply that waits for the next cron run.
 */
import type { Config } from "../../config.js";
import { createHttpClient, type HttpClient } from "../../http/client.js";
import type { Services } from "../../services.js";
import { integrationDeps, type IntegrationDeps } from "../deps.js";
import { graphErrorCode } from "./errors.js";

export interface MetaConfig {
  whatsapp: Config["whatsapp"];
  messenger: Config["messenger"];
}

/** Where a WhatsApp message goes: the phone (`to`, digits) when known, else the BSUID (`recipient`). */
export interface WhatsAppRecipient {
  to?: string;
  recipient?: string;
}

export interface MetaClient {
  whatsapp: {
    readonly configured: boolean;
    /**
     * `POST /{GRAPH_VERSION}/{PHONE_NUMBER_ID}/messages` with the system-user token; resolves to
     * Meta's message id (wamid). `retryInline: false` sends once (429/5xx left to a later job),
     * for messages where a duplicate is worse than a delay. Throws UpstreamError / BreakerOpenError.
     */
    send(to: WhatsAppRecipient, body: Record<string, unknown>, opts?: { retryInline?: boolean }): Promise<string | null>;
  };
  messenger: {
    readonly configured: boolean;
    /**
     * `POST /{GRAPH_VERSION}/me/messages` with the Page access token (as the documented
     * `access_token` query parameter; lib/http logs paths without the query); resolves to
     * Meta's message id (mid). Throws UpstreamError / BreakerOpenError.
     */
    send(psid: string, body: Record<string, unknown>): Promise<string | null>;
  };
}

function graphHttp(config: MetaConfig, deps: IntegrationDeps, service: "whatsapp" | "messenger"): HttpClient {
  const c = config[service];
  return createHttpClient(
    deps,
    { service, baseUrl: c.baseUrl, timeoutMs: c.timeoutMs, retry: c.retry, errorCode: graphErrorCode },
  );
}

export function createMetaClient(config: MetaConfig, deps: IntegrationDeps): MetaClient {
  const wa = config.whatsapp;
  const ms = config.messenger;
  return {
    whatsapp: {
      configured: wa.configured,
      async send(to, body, opts = {}) {
        if (!wa.configured) throw new Error("WhatsApp is not configured: set WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID, WHATSAPP_VERIFY_TOKEN and META_APP_SECRET");
        const res = await graphHttp(config, deps, "whatsapp").json<{ messages?: { id?: string }[] }>({
          method: "POST",
          path: `/${wa.graphVersion}/${encodeURIComponent(wa.phoneNumberId)}/messages`,
          headers: { authorization: `Bearer ${wa.accessToken}` },
          json: { messaging_product: "whatsapp", recipient_type: "individual", ...to, ...body },
          idempotent: opts.retryInline ?? true,
        });
        return res?.messages?.[0]?.id ?? null;
      },
    },
    messenger: {
      configured: ms.configured,
      async send(psid, body) {
        if (!ms.configured) throw new Error("Messenger is not configured: set MESSENGER_PAGE_ACCESS_TOKEN, MESSENGER_PAGE_ID, MESSENGER_VERIFY_TOKEN and META_APP_SECRET");
        const res = await graphHttp(config, deps, "messenger").json<{ message_id?: string }>({
          method: "POST",
          path: `/${ms.graphVersion}/me/messages`,
          query: { access_token: ms.pageAccessToken },
          json: { recipient: { id: psid }, ...body },
          idempotent: true,
        });
        return res?.message_id ?? null;
      },
    },
  };
}

/** The Meta client bound to an app's services (its config slice and deps, nothing else). */
export function metaClient(services: Services): MetaClient {
  const { whatsapp, messenger } = services.config;
  return createMetaClient({ whatsapp, messenger }, integrationDeps(services));
}
