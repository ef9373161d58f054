/**
 * The cold-start column checked from outside: hyperfine (when installed; `apt-get install
 * hyperfine`) times the whole process — `node scripts/bench/cold-child.mjs` on the same compiled
 * file, and the bare floor — the way anyone can repeat it. Without hyperfine, the same timing
 * loop in Node (spawn to exit). Never required by tests or CI.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { promisify } from "node:util";
import { readFileSync } from "node:fs";
import { median } from "./cold-start.js";

export interface OutsideRow { name: string; tool: "hyperfine" | "node loop"; bareMs: number; fnMs: number; command: string }

function hasHyperfine(): boolean {
  try {
    execFileSync("hyperfine", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * Median whole-process wall time of the bare floor and of the function, `runs` each. The
 * children run asynchronously: the loopback doubles they call (the Graph API, the worker route)
 * answer from this process, and a blocking spawn would leave them waiting.
 */
export async function measureOutside(name: string, coldRequest: string, env: Record<string, string>, runs: number): Promise<OutsideRow> {
  const node = process.execPath;
  const childEnv = { ...process.env, ...env, NODE_ENV: "production", COLD_REQUEST: coldRequest };
  const command = `COLD_REQUEST='<json>' hyperfine -N --warmup 1 --runs ${runs} '${node} scripts/bench/bare-child.mjs' '${node} scripts/bench/cold-child.mjs'`;
  if (hasHyperfine()) {
    const out = `/tmp/comptoir-hyperfine-${process.pid}.json`;
    await promisify(execFile)("hyperfine", ["-N", "--warmup", "1", "--runs", String(runs), "--export-json", out, "--style", "none",
      `${node} scripts/bench/bare-child.mjs`, `${node} scripts/bench/cold-child.mjs`], { env: childEnv });
    const r = JSON.parse(readFileSync(out, "utf8")) as { results: { median: number }[] };
    return { name, tool: "hyperfine", bareMs: r.results[0]!.median * 1000, fnMs: r.results[1]!.median * 1000, command };
  }
  const time = (args: string[]) =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      spawn(node, args, { env: childEnv, stdio: "ignore" }).on("exit", () => resolve(performance.now() - t0)).on("error", reject);
    });
  const bare: number[] = [];
  const fn: number[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await time(["scripts/bench/bare-child.mjs"]));
    fn.push(await time(["scripts/bench/cold-child.mjs"]));
  }
  return { name, tool: "node loop", bareMs: median(bare), fnMs: median(fn), command };
}
