/**
 * The runtime import graph of a source tree: static imports and re-exports, and dynamic
 * `import("...")`, of relative `.js` specifiers resolved to `.ts` files. Type-only imports
 * (`import type`, `export type`) are left out: they are erased and cannot form a runtime cycle.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const STATIC = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?["']([^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : [];
  });
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/[^\n]*/g, "$1");
}

/** The runtime imports of `source` (relative specifiers only). */
export function runtimeImports(source: string, withTypes = false): string[] {
  const code = stripComments(source);
  const out: string[] = [];
  for (const m of code.matchAll(STATIC)) if ((withTypes || !m[2]) && m[3]!.startsWith(".")) out.push(m[3]!);
  for (const m of code.matchAll(DYNAMIC)) if (m[1]!.startsWith(".")) out.push(m[1]!);
  return out;
}

/** file -> the files it imports at run time, for every .ts file under `root` (paths relative to `base`). */
export function importGraph(root: string, base = root, withTypes = false): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(root)) {
    const deps = runtimeImports(readFileSync(file, "utf8"), withTypes).map((spec) => resolve(dirname(file), spec.replace(/\.js$/, ".ts")));
    graph.set(relative(base, file), deps.filter((d) => d.startsWith(resolve(root))).map((d) => relative(base, d)));
  }
  return graph;
}

/** Every import cycle, each as the list of files around it (first file repeated at the end). */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const s = state.get(next);
      if (s === "open") cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return cycles;
}
