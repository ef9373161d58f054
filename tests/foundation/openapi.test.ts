/**
 * GET /api/openapi.json: an OpenAPI 3.1 document built from the routes' own declarations. It
 * must list every file under api/ with every method it declares, each body and query schema,
 * and the security of each authenticated method; the route index it reads is generated and
 * must be up to date.
 */
import { AUTH_SCHEMES } from "../../lib/route/auth.js";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "../../api/openapi.js";
import { inputSchema } from "../../lib/openapi/document.js";
import { METHODS, routeDefinition, type RouteHandlers } from "../../lib/route.js";
import type { Services } from "../../lib/services.js";
import { apiRoutes, openApiIndex } from "../../scripts/gen-netlify-functions.js";
import { createTestServices, req } from "../helpers/services.js";

let services: Services;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let doc: any;
beforeAll(async () => {
  services = await createTestServices();
  const res = await GET(req("/api/openapi.json"));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  doc = await res.json();
});
afterAll(() => services.store.close());

const load = async (route: string) => (await import(pathToFileURL(`api/${route}.ts`).href)) as Partial<RouteHandlers>;

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 with the error shape and a security scheme per auth kind", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.schemas.Error.properties.error.required).toEqual(["code", "message"]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["adminKey", "cronSecret", "internalSignature", "ownerSession"]);
  });

  it("reads a route index that is up to date with api/ (regenerate: npx tsx scripts/gen-netlify-functions.ts)", () => {
    const index = openApiIndex();
    expect(readFileSync(index.file, "utf8")).toBe(index.source);
  });

  it.each(apiRoutes().map((r) => [r]))("documents api/%s.ts: every method, body, query and auth it declares", async (route) => {
    const item = doc.paths[`/api/${route}`];
    expect(item, `/api/${route} is missing from the document`).toBeDefined();
    const def = routeDefinition(await load(route));
    expect(def, `api/${route}.ts does not use route()`).not.toBeNull();
    const declared = METHODS.filter((m) => def!.specs[m]).map((m) => m.toLowerCase());
    expect(Object.keys(item).sort()).toEqual([...declared].sort());
    for (const m of METHODS) {
      const spec = def!.specs[m];
      if (!spec) continue;
      const op = item[m.toLowerCase()];
      const bodySchema = spec.bodyDoc ?? spec.body;
      if (bodySchema && !spec.rawBody) expect(op.requestBody.content["application/json"].schema, `${m} /api/${route} body`).toEqual(inputSchema(bodySchema));
      if (spec.rawBody) expect(op.requestBody).toBeDefined();
      if (!bodySchema && !spec.rawBody) expect(op.requestBody).toBeUndefined();
      if (spec.query) {
        const props = Object.keys((inputSchema(spec.query).properties ?? {}) as object);
        expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(props.map((p) => `query:${p}`));
      }
      if (spec.auth) expect(JSON.stringify(op.security)).toContain(AUTH_SCHEMES[spec.auth].name);
      else expect(op.security).toBeUndefined();
      expect(Object.keys(op.responses).length).toBeGreaterThan(1);
    }
  });

  it("describes real fields: the lead's email, the checkout's session_id, the quote's admin key", () => {
    const lead = doc.paths["/api/lead"].post.requestBody.content["application/json"].schema;
    expect(lead.properties.email).toBeDefined();
    expect(lead.required).toContain("email");
    expect(doc.paths["/api/checkout"].get.parameters).toEqual([expect.objectContaining({ name: "session_id", in: "query", required: true })]);
    expect(doc.paths["/api/quote"].post.security).toEqual([{ adminKey: [] }]);
    expect(doc.paths["/api/coupon"].post.security).toEqual([{}, { adminKey: [] }]);
    expect(doc.paths["/api/cron/cleanup"].get.security).toEqual([{ cronSecret: [] }]);
  });
});
