/**
 * What each provider accepts in a tool's parameter schema, checked rather than hoped for:
 *   - the Hugging Face router speaks OpenAI chat completions; its providers (vLLM, TGI, novita,
 *     sambanova...) take the plain JSON-schema subset of OpenAI function calling: an object at the
 *     root, typed properties, `required`, `enum`, `items`, simple bounds — no `$ref`, `oneOf`,
 *     `allOf`, `not`, `if`, conditional or tuple keywords;
 *   - Gemini's `functionDeclarations[].parameters` is an OpenAPI 3.0 Schema subset: `type`,
 *     `format`, `description`, `nullable`, `enum` (strings), `properties`, `required`, `items`,
 *     `minItems`/`maxItems`, `minimum`/`maximum`, `minLength`/`maxLength`, `pattern`, `anyOf`,
 *     `propertyOrdering`, `default`, `title`, `example` — and nothing else (`additionalProperties`,
 *     `$schema`, `const`, `oneOf`, `exclusiveMinimum` are rejected with 400 INVALID_ARGUMENT); the
 *     newer `parametersJsonSchema` field (what @ai-sdk/google sends) takes JSON Schema with
 *     `additionalProperties` and `propertyOrdering`, but still no references, `const`, tuples or
 *     conditionals (`$ref`, `$defs`, `definitions`, `prefixItems`, `not`, `if`/`then`/`else`),
 *     one type per schema, and an array always has `items`.
 * Used by the tests on the requests actually sent (tests/assistant/tool-schemas.test.ts) and
 * available to check a new tool before it ships.
 */
import * as z from "zod";
import { TOOLS } from "../tools/index.js";

export interface SchemaIssue { tool: string; path: string; problem: string }

const JSON_TYPES = new Set(["string", "number", "integer", "boolean", "array", "object", "null"]);
const OPENAI_KEYWORDS = new Set([
  "type", "properties", "required", "description", "enum", "items", "additionalProperties", "minimum", "maximum",
  "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "pattern", "format", "default", "anyOf", "minItems",
  "maxItems", "title", "$schema", "nullable",
]);
const GEMINI_KEYWORDS = new Set([
  "type", "format", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required", "minProperties",
  "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering", "default", "items",
  "minimum", "maximum", "title",
]);
const GEMINI_TYPES = new Set(["STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "string", "number", "integer", "boolean", "array", "object"]);

type Node = Record<string, unknown>;
const isNode = (x: unknown): x is Node => !!x && typeof x === "object" && !Array.isArray(x);

function walk(tool: string, schema: unknown, path: string, visit: (n: Node, path: string) => string[], out: SchemaIssue[]): void {
  if (!isNode(schema)) {
    out.push({ tool, path, problem: "not a schema object" });
    return;
  }
  for (const problem of visit(schema, path)) out.push({ tool, path, problem });
  if (isNode(schema.properties)) for (const [k, v] of Object.entries(schema.properties)) walk(tool, v, `${path}.properties.${k}`, visit, out);
  if (schema.items !== undefined) walk(tool, schema.items, `${path}.items`, visit, out);
  if (Array.isArray(schema.anyOf)) schema.anyOf.forEach((v, i) => walk(tool, v, `${path}.anyOf[${i}]`, visit, out));
}

function rootIssues(tool: string, schema: unknown, upper: boolean): SchemaIssue[] {
  if (!isNode(schema)) return [{ tool, path: "$", problem: "parameters must be an object schema" }];
  const t = String(schema.type ?? "");
  if ((upper ? t.toUpperCase() : t) !== (upper ? "OBJECT" : "object")) return [{ tool, path: "$", problem: `the root must be an object, got ${t || "no type"}` }];
  return [];
}

/** Problems of one tool's `parameters` for an OpenAI-compatible endpoint (the HF router). */
export function openAiCompatibleIssues(tool: string, schema: unknown): SchemaIssue[] {
  const out = rootIssues(tool, schema, false);
  walk(tool, schema, "$", (n) => {
    const problems: string[] = [];
    for (const k of Object.keys(n)) if (!OPENAI_KEYWORDS.has(k)) problems.push(`keyword ${k} is not in the OpenAI function-calling subset`);
    const types = Array.isArray(n.type) ? n.type : n.type === undefined ? [] : [n.type];
    for (const t of types) if (!JSON_TYPES.has(String(t))) problems.push(`unknown type ${String(t)}`);
    if (!types.length && !n.anyOf && !n.enum) problems.push("a property needs a type (or enum/anyOf)");
    if (types.includes("array") && n.items === undefined) problems.push("an array needs items");
    if (types.includes("object") && n.required !== undefined && (!Array.isArray(n.required) || n.required.some((r) => !isNode(n.properties) || !(String(r) in n.properties))))
      problems.push("required names a property that does not exist");
    return problems;
  }, out);
  return out;
}

const GEMINI_JSON_SCHEMA_REJECTED = new Set(["$ref", "$defs", "definitions", "prefixItems", "not", "if", "then", "else", "const", "oneOf", "allOf", "patternProperties", "dependentSchemas"]);

/** Problems of a `parametersJsonSchema` (JSON Schema form of a Gemini function declaration). */
function geminiJsonSchemaIssues(tool: string, schema: unknown): SchemaIssue[] {
  const out = rootIssues(tool, schema, false);
  walk(tool, schema, "$", (n) => {
    const problems: string[] = [];
    for (const k of Object.keys(n)) if (GEMINI_JSON_SCHEMA_REJECTED.has(k)) problems.push(`keyword ${k} is not accepted by Gemini function declarations`);
    if (Array.isArray(n.type) && n.type.filter((t) => t !== "null").length > 1) problems.push("Gemini takes one type per schema (use nullable or anyOf)");
    if (n.type === undefined && !n.anyOf && !n.enum) problems.push("a schema needs a type (or anyOf)");
    if ((n.type === "array" || (Array.isArray(n.type) && n.type.includes("array"))) && n.items === undefined) problems.push("an array needs items");
    return problems;
  }, out);
  return out;
}

/**
 * Problems of one tool's parameters for Gemini `functionDeclarations`: `parameters` (OpenAPI
 * subset) by default, `parametersJsonSchema` when `form` says so.
 */
export function geminiIssues(tool: string, schema: unknown, form: "parameters" | "parametersJsonSchema" = "parameters"): SchemaIssue[] {
  if (form === "parametersJsonSchema") return geminiJsonSchemaIssues(tool, schema);
  const out = rootIssues(tool, schema, true);
  walk(tool, schema, "$", (n) => {
    const problems: string[] = [];
    for (const k of Object.keys(n)) if (!GEMINI_KEYWORDS.has(k)) problems.push(`keyword ${k} is not accepted by Gemini function declarations`);
    if (Array.isArray(n.type)) problems.push("Gemini takes one type per schema (use nullable or anyOf)");
    else if (n.type !== undefined && !GEMINI_TYPES.has(String(n.type))) problems.push(`type ${String(n.type)} is not a Gemini type`);
    if (n.type === undefined && !n.anyOf) problems.push("a schema needs a type (or anyOf)");
    const type = String(n.type ?? "").toUpperCase();
    if (n.enum !== undefined && (type !== "STRING" || !Array.isArray(n.enum) || n.enum.some((e) => typeof e !== "string"))) problems.push("enum is for strings only");
    if (type === "ARRAY" && n.items === undefined) problems.push("an array needs items");
    if (n.format !== undefined && !((type === "STRING" && ["enum", "date-time"].includes(String(n.format))) || (["NUMBER", "INTEGER"].includes(type) && ["int32", "int64", "float", "double"].includes(String(n.format)))))
      problems.push(`format ${String(n.format)} is not accepted for ${type || "this type"}`);
    return problems;
  }, out);
  return out;
}

/** Every tool's input as JSON Schema (what the AI SDK derives from the zod schema). */
export function toolJsonSchemas(): Record<string, unknown> {
  return Object.fromEntries(Object.entries(TOOLS).map(([name, spec]) => [name, z.toJSONSchema(spec.input, { target: "draft-7", io: "input" })]));
}
