/**
 * Public paths of the owner's API that carry the conversation id in the path, and the api/
 * file serving each. Vercel (vercel.json rewrites), Netlify (each function's config.path) and
 * the dev server map them from this one table (tests/owner/paths.test.ts keeps vercel.json
 * equal to it). Handlers read the id from the path, or from `?id=` after a rewrite.
 */
import { isConversationId } from "../assistant/conversation-store.js";

export const ADMIN_PATH_ROUTES: readonly { path: string; route: string }[] = [
  { path: "/api/admin/conversations/:id", route: "admin/conversation" },
  { path: "/api/admin/conversations/:id/reply", route: "admin/reply" },
  { path: "/api/admin/conversations/:id/release", route: "admin/release" },
  { path: "/api/admin/conversations/:id/close", route: "admin/close" },
  { path: "/api/admin/conversations/:id/note", route: "admin/note" },
];

/** The Vercel rewrites for ADMIN_PATH_ROUTES. */
export const vercelRewrites = () => ADMIN_PATH_ROUTES.map((r) => ({ source: r.path, destination: `/api/${r.route}?id=:id` }));

/** The api/ route serving a public path (dev server), or null. */
export function routeForPath(pathname: string): string | null {
  for (const r of ADMIN_PATH_ROUTES) {
    const pattern = new RegExp(`^${r.path.replace(":id", "[^/]+")}/?$`);
    if (pattern.test(pathname)) return r.route;
  }
  return null;
}

/** The conversation id of a request: from `/api/admin/conversations/{id}[/...]`, else `?id=`; null when absent or not an id. */
export function conversationIdOf(url: URL): string | null {
  const fromPath = /^\/api\/admin\/conversations\/([^/]+)(?:\/|$)/.exec(url.pathname)?.[1];
  const id = fromPath ? decodeURIComponent(fromPath) : url.searchParams.get("id");
  return id && isConversationId(id) ? id.toLowerCase() : null;
}
