/**
 * beforeSend: what leaves for Sentry. Every string in the event is redacted (emails, phone
 * numbers, tokens, keys: lib/log.ts `redact`), sensitive keys are masked, and the parts that
 * carry personal data by nature are dropped: the user, cookies, headers, bodies, query strings
 * and breadcrumbs.
 */
import type { ErrorEvent } from "@sentry/node";
import { scrub } from "../../log.js";

export function scrubEvent<E extends ErrorEvent>(event: E): E {
  const copy = scrub(event, 0, 16) as E;
  delete copy.user;
  delete copy.breadcrumbs;
  if (copy.request) {
    const url = typeof copy.request.url === "string" ? copy.request.url.replace(/[?#].*$/, "") : undefined;
    copy.request = { method: copy.request.method, url };
  }
  return copy;
}
