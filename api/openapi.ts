/**
 * GET /api/openapi.json (and /api/openapi) — the OpenAPI 3.1 document of every route, built
 * from the routes' own declarations (lib/openapi/document.ts) on the first call and kept for
 * the life of the instance. Public: it describes the API, it holds no secrets.
 */
import { buildOpenApi } from "../lib/openapi/document.js";
import { API_ROUTES } from "../lib/openapi/routes.gen.js";
import { json, route } from "../lib/route.js";

let document: Promise<Record<string, unknown>> | undefined;

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = route("openapi", {
  GET: {
    summary: "This document (OpenAPI 3.1)",
    responses: { 200: { description: "The OpenAPI document" } },
    async handler({ services }) {
      const { release, app } = services.config;
      document ??= buildOpenApi(API_ROUTES, { version: release ?? "dev", serverUrl: app.publicBaseUrl }).catch((err: unknown) => {
        document = undefined;
        throw err;
      });
      return json(await document, { headers: { "cache-control": "public, max-age=300" } });
    },
  },
});
