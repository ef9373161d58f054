/**
 * The OpenAPI 3.1 document, built from the routes' own declarations (lib/route/definition.ts):
 * body and query schemas through zod 4's `z.toJSONSchema`, auth kinds as security schemes,
 * documented responses plus the one error shape. The route list comes from routes.gen.ts,
 * generated from api/ (scripts/gen-netlify-functions.ts), so a new api/ file appears here
 * without anyone listing it.
 */
import * as z from "zod";
import type { Schema } from "../route/validate.js";
import { AUTH_SCHEMES, type AuthKind } from "../route/auth.js";
import { routeDefinition } from "../route/definition.js";
import { METHODS, type AnySpec, type RouteHandlers } from "../route/types.js";

export interface ApiRoute {
  /** "/api/chat", "/api/cron/cleanup" */
  path: string;
  load(): Promise<Partial<RouteHandlers>>;
}

type JsonSchema = Record<string, unknown>;

const ERROR_SCHEMA: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string", description: "One of the closed set in lib/errors.ts" },
        message: { type: "string" },
        details: { description: "For validation_failed: [{path, message}] per failing field" },
      },
    },
  },
};

const errorRef = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

/** The JSON Schema of what a caller sends (input side: before defaults and transforms). */
export function inputSchema(schema: Schema): JsonSchema {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" }) as JsonSchema;
  delete out.$schema;
  return out;
}

function queryParameters(schema: Schema): unknown[] {
  const s = inputSchema(schema);
  const props = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, schema]) => ({ name, in: "query", required: required.has(name), schema }));
}

function operation(spec: AnySpec, routeName: string, method: string): JsonSchema {
  const op: JsonSchema = { operationId: `${routeName}.${method.toLowerCase()}` };
  if (spec.summary) op.summary = spec.summary;
  if (spec.auth) {
    const name = AUTH_SCHEMES[spec.auth as AuthKind].name;
    op.security = spec.optionalAuth ? [{}, { [name]: [] }] : [{ [name]: [] }];
  }
  if (spec.query) op.parameters = queryParameters(spec.query);
  const bodySchema = spec.bodyDoc ?? spec.body;
  if (spec.rawBody) {
    op.requestBody = { required: true, description: "Raw body, verified against its signature header before it is parsed", content: { "application/json": { schema: {} } } };
  } else if (bodySchema) {
    op.requestBody = { required: true, content: { "application/json": { schema: inputSchema(bodySchema) } } };
  }
  const responses: Record<string, unknown> = {};
  for (const [status, doc] of Object.entries(spec.responses ?? { 200: { description: "OK" } })) {
    responses[status] = doc.schema ? { description: doc.description, content: { "application/json": { schema: inputSchema(doc.schema) } } } : { description: doc.description };
  }
  if (spec.body || spec.query) responses["400"] ??= errorRef("Invalid JSON or a field that fails validation (details name the fields)");
  if (spec.auth) responses["401"] ??= errorRef("Missing or wrong credential");
  if (spec.body || spec.rawBody) {
    responses["413"] ??= errorRef("Body too large");
    if (!spec.rawBody) responses["415"] ??= errorRef("Not Content-Type: application/json");
  }
  responses.default = errorRef("Any other error, in the same shape");
  op.responses = responses;
  return op;
}

/** The OpenAPI 3.1 document of every route. Throws if a route file does not declare its methods with route(). */
export async function buildOpenApi(routes: readonly ApiRoute[], info: { version: string; serverUrl?: string }): Promise<JsonSchema> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const def = routeDefinition(await r.load());
    if (!def) throw new Error(`${r.path} does not export handlers made by route()`);
    const item: Record<string, unknown> = {};
    for (const m of METHODS) {
      const spec = def.specs[m];
      if (spec) item[m.toLowerCase()] = operation(spec, def.name, m);
    }
    paths[r.path] = item;
  }
  const securitySchemes = Object.fromEntries(Object.values(AUTH_SCHEMES).map((a) => [a.name, a.scheme]));
  return {
    openapi: "3.1.0",
    info: { title: "Comptoir API", version: info.version, description: "The sales assistant's HTTP API. Errors are always {\"error\":{\"code\",\"message\",\"details?\"}}." },
    ...(info.serverUrl ? { servers: [{ url: info.serverUrl }] } : {}),
    paths,
    components: { schemas: { Error: ERROR_SCHEMA }, securitySchemes },
  };
}
