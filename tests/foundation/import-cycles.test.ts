/** lib/ has no import circle (runtime or type-only, static or dynamic imports). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findCycles, importGraph } from "../helpers/import-graph.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("import graph of lib/", () => {
  it("has no cycle, counting type-only and dynamic imports", () => {
    const graph = importGraph(path.join(root, "lib"), root, true);
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("lib/checkout/webhook.ts")).toContain("lib/orders/paid-hooks.ts");
    expect(findCycles(graph), "import cycles").toEqual([]);
  });

  it("finds a cycle made by a type-only import and a dynamic import (as checkout and channels once were)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cycle-"));
    try {
      mkdirSync(path.join(dir, "checkout"));
      mkdirSync(path.join(dir, "channels"));
      writeFileSync(path.join(dir, "checkout/order-paid.ts"), `export interface PaidOrder { id: string }\nexport const hook = async () => (await import("../channels/order-paid.js")).send();\n`);
      writeFileSync(path.join(dir, "channels/order-paid.ts"), `import type { PaidOrder } from "../checkout/order-paid.js";\nexport const send = (o?: PaidOrder) => o;\n`);
      writeFileSync(path.join(dir, "alone.ts"), `// import "./checkout/order-paid.js" in a comment is not an import\nexport const x = 1;\n`);
      const graph = importGraph(dir, dir, true);
      expect(findCycles(graph)).toEqual([["channels/order-paid.ts", "checkout/order-paid.ts", "channels/order-paid.ts"]]);
      expect(graph.get("alone.ts")).toEqual([]);
      // Without type-only imports there is no runtime circle.
      expect(findCycles(importGraph(dir, dir, false))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
