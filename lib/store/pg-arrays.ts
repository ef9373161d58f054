/**
 * PostgreSQL arrays on the wire, for postgres.js without its type lookup. postgres.js learns
 * array types by querying pg_type on every new connection (`fetch_types`: one more round trip
 * before the first query, ~9 ms on a fresh server connection). The array types of PostgreSQL's
 * own scalar types have fixed oids, so they are declared here instead: our SQL functions take
 * text[] (and tests query with uuid[]); arrays of other types would need an entry.
 *
 * Sent: every element quoted (any text goes through), null as NULL. Read: one-dimensional
 * arrays, elements as PostgreSQL writes them, converted like postgres.js converts the scalar.
 */
type Element = (s: string) => unknown;

const asText: Element = (s) => s;
const asInt: Element = (s) => Number.parseInt(s, 10);
const asFloat: Element = (s) => Number(s);
const asBool: Element = (s) => s === "t";

/** Array type oid -> how an element reads (PostgreSQL's pg_type.dat; int8 and numeric stay strings, as in postgres.js). */
const ARRAY_TYPES: Record<number, Element> = {
  1009: asText, // text[]
  1015: asText, // varchar[]
  1014: asText, // bpchar[]
  2951: asText, // uuid[]
  1007: asInt, // int4[]
  1005: asInt, // int2[]
  1016: asText, // int8[]
  1231: asText, // numeric[]
  1021: asFloat, // float4[]
  1022: asFloat, // float8[]
  1000: asBool, // bool[]
  1185: asText, // timestamptz[]
};

const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
const elementText = (x: unknown) => (x instanceof Date ? x.toISOString() : typeof x === "object" ? JSON.stringify(x) : String(x));

/** `["a", null, "b,c"]` -> `{"a",NULL,"b,c"}`. */
export function arrayLiteral(xs: readonly unknown[]): string {
  return `{${xs.map((x) => (x === null || x === undefined ? "NULL" : quote(elementText(x)))).join(",")}}`;
}

/** A one-dimensional array as PostgreSQL writes it -> its elements as text (`NULL` unquoted is null). */
export function parseArrayLiteral(literal: string): (string | null)[] {
  const s = literal.replace(/^\[[^\]]*\]=/, ""); // explicit bounds ("[0:1]={...}")
  if (s.length < 2 || s[0] !== "{" || s[s.length - 1] !== "}") throw new Error("not an array literal");
  const out: (string | null)[] = [];
  let i = 1;
  if (s[i] === "}") return out;
  while (i < s.length) {
    if (s[i] === '"') {
      let value = "";
      for (i++; s[i] !== '"'; i++) {
        if (i >= s.length) throw new Error("unterminated element in an array literal");
        if (s[i] === "\\") i++;
        value += s[i];
      }
      i++;
      out.push(value);
    } else {
      const start = i;
      while (i < s.length && s[i] !== "," && s[i] !== "}") i++;
      const value = s.slice(start, i);
      out.push(value === "NULL" ? null : value);
    }
    if (s[i] === "}") return out;
    if (s[i] !== ",") throw new Error("unterminated array literal");
    i++;
  }
  throw new Error("unterminated array literal");
}

/** postgres.js `types` option: the built-in array types above, sent and read without a lookup. */
export function arrayTypes(): Record<string, { to: number; from: number[]; serialize: (xs: unknown[]) => string; parse: (s: string) => unknown[] }> {
  return Object.fromEntries(
    Object.entries(ARRAY_TYPES).map(([oid, element]) => [
      `array${oid}`,
      { to: Number(oid), from: [Number(oid)], serialize: arrayLiteral, parse: (s: string) => parseArrayLiteral(s).map((x) => (x === null ? null : element(x))) },
    ]),
  );
}
