/**
 * Tool schemas as each provider receives them: the parameters in the request actually sent to the
 * Hugging Face router (OpenAI-compatible subset) and to Gemini (function-declaration subset) pass
 * the provider's checker; the checkers reject what the providers reject. And the turn's tokens and
 * latency are stored with the reply.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { geminiIssues, openAiCompatibleIssues, toolJsonSchemas } from "../../lib/assistant/llm/tool-schemas.js";
import { TOOLS } from "../../lib/assistant/tools/index.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { newUser, rows, say } from "./harness.js";
import { MODEL_ENV, useEmbeddings, useGemini, useHfRouter } from "./model-doubles.js";

const server = useMsw();
const hf = useHfRouter(server);
const gemini = useGemini(server);
useEmbeddings(server);

let services: Services;
beforeEach(async () => {
  services = await createTestServices({ ...MODEL_ENV, OUTBOX_DIR: `/tmp/comptoir-test-outbox-schemas-${process.pid}` });
});
afterEach(async () => services.store.close());

describe("Hugging Face router: OpenAI-compatible JSON-schema subset", () => {
  it("sends every tool with parameters the OpenAI function-calling subset accepts", async () => {
    hf.script({ text: "Bonjour !" });
    await say(services, newUser(), "Bonjour, vous avez des bougies ?");
    const tools = hf.requests[0]!.body.tools as { type: string; function: { name: string; parameters: unknown } }[];
    expect(tools.map((t) => t.function.name).sort()).toEqual(Object.keys(TOOLS).sort());
    for (const t of tools) {
      expect(t.type).toBe("function");
      expect(openAiCompatibleIssues(t.function.name, t.function.parameters), JSON.stringify(t.function.parameters)).toEqual([]);
    }
  });

  it("rejects what OpenAI-compatible providers reject: references, oneOf, a root that is not an object, untyped arrays", () => {
    expect(openAiCompatibleIssues("t", { type: "string" }).map((i) => i.problem)).toContain("the root must be an object, got string");
    const bad = { type: "object", properties: { a: { $ref: "#/defs/x" }, b: { oneOf: [{ type: "string" }] }, c: { type: "array" } }, required: ["d"] };
    const problems = openAiCompatibleIssues("t", bad).map((i) => `${i.path}: ${i.problem}`);
    expect(problems).toEqual(expect.arrayContaining([
      "$.properties.a: keyword $ref is not in the OpenAI function-calling subset",
      "$.properties.b: keyword oneOf is not in the OpenAI function-calling subset",
      "$.properties.c: an array needs items",
      "$: required names a property that does not exist",
    ]));
  });
});

describe("Gemini: function-declaration subset", () => {
  it("sends every tool as a function declaration whose parameters Gemini accepts", async () => {
    hf.fallback = { status: 503, body: { error: "Model is currently loading" } };
    gemini.script({ text: "Bonjour !" });
    const r = await say(services, newUser(), "Bonjour, vous avez des bougies ?");
    expect(r.provider).toBe("gemini");
    type Declaration = { name: string; parameters?: unknown; parametersJsonSchema?: unknown };
    const declarations = (gemini.requests[0]!.body.tools as { functionDeclarations: Declaration[] }[]).flatMap((t) => t.functionDeclarations);
    expect(declarations.map((d) => d.name).sort()).toEqual(Object.keys(TOOLS).sort());
    for (const d of declarations) {
      // Exactly one of the two forms (they are mutually exclusive), and the one sent passes its checker.
      expect([d.parameters, d.parametersJsonSchema].filter((x) => x !== undefined)).toHaveLength(1);
      const issues = d.parameters !== undefined ? geminiIssues(d.name, d.parameters) : geminiIssues(d.name, d.parametersJsonSchema, "parametersJsonSchema");
      expect(issues, JSON.stringify(d)).toEqual([]);
    }
  });

  it("rejects in parametersJsonSchema what Gemini rejects there: references, const, conditionals, type lists", () => {
    const bad = { type: "object", $defs: {}, properties: { a: { $ref: "#/$defs/x" }, b: { const: 1, type: "integer" }, c: { type: ["string", "integer"] }, d: { type: "array" } } };
    const problems = geminiIssues("t", bad, "parametersJsonSchema").map((i) => `${i.path}: ${i.problem}`);
    expect(problems).toEqual(expect.arrayContaining([
      "$: keyword $defs is not accepted by Gemini function declarations",
      "$.properties.a: keyword $ref is not accepted by Gemini function declarations",
      "$.properties.b: keyword const is not accepted by Gemini function declarations",
      "$.properties.c: Gemini takes one type per schema (use nullable or anyOf)",
      "$.properties.d: an array needs items",
    ]));
    expect(geminiIssues("t", { type: "object", additionalProperties: false, properties: { q: { type: "string" } } }, "parametersJsonSchema")).toEqual([]);
  });

  it("rejects in parameters (OpenAPI form) what Gemini rejects: additionalProperties, $schema, const, numeric enums, type arrays", () => {
    const bad = {
      type: "object",
      $schema: "http://json-schema.org/draft-07/schema#",
      additionalProperties: false,
      properties: { a: { const: "x", type: "string" }, b: { type: "integer", enum: [1, 2] }, c: { type: ["string", "null"] } },
    };
    const problems = geminiIssues("t", bad).map((i) => `${i.path}: ${i.problem}`);
    expect(problems).toEqual(expect.arrayContaining([
      "$: keyword $schema is not accepted by Gemini function declarations",
      "$: keyword additionalProperties is not accepted by Gemini function declarations",
      "$.properties.a: keyword const is not accepted by Gemini function declarations",
      "$.properties.b: enum is for strings only",
      "$.properties.c: Gemini takes one type per schema (use nullable or anyOf)",
    ]));
  });

  it("derives JSON schemas for every tool that fit the OpenAI subset before any conversion", () => {
    for (const [name, schema] of Object.entries(toolJsonSchemas())) expect(openAiCompatibleIssues(name, schema)).toEqual([]);
  });
});

describe("usage per turn", () => {
  it("stores the model's tokens and the turn's latency with the reply", async () => {
    hf.script({ calls: [{ name: "search_products", args: { query: "bougie" } }] }, { text: "Voici nos bougies." });
    const r = await say(services, newUser(), "Vous avez des bougies ?");
    const [row] = await rows<{ tokens_in: number; tokens_out: number; latency_ms: number; meta: { usage: unknown; tools: unknown[] } }>(
      services,
      "select tokens_in, tokens_out, latency_ms, meta from chat_message where conversation_id = $1 and role = 'assistant'",
      [r.conversationId],
    );
    // Two model calls of the double, 120 + 18 tokens each.
    expect(row).toMatchObject({ tokens_in: 240, tokens_out: 36 });
    expect(row!.latency_ms).toBeGreaterThanOrEqual(0);
    expect(row!.meta.usage).toEqual({ input: 240, output: 36 });
    expect(row!.meta.tools).toEqual([{ name: "search_products", status: "ok", args: { query: "bougie" } }]);
  });

  it("stores no tokens for an offline turn", async () => {
    const offline = await createTestServices({ OUTBOX_DIR: `/tmp/comptoir-test-outbox-schemas-${process.pid}` });
    const r = await say(offline, newUser(), "Bonjour");
    const [row] = await rows<{ tokens_in: number | null; latency_ms: number | null }>(
      offline,
      "select tokens_in, latency_ms from chat_message where conversation_id = $1 and role = 'assistant'",
      [r.conversationId],
    );
    expect(row).toEqual({ tokens_in: null, latency_ms: expect.any(Number) });
    await offline.store.close();
  });
});
