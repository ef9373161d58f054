/** `ai` and the model providers stay off the module graph until a model is configured and asked. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("the AI SDK is loaded lazily", () => {
  it("an offline chat turn loads no ai module; a turn with HF configured does (and still answers when HF is unreachable)", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "tests/assistant/fixtures/load-graph.ts"], {
      env: { PATH: process.env.PATH ?? "" },
      timeout: 90_000,
    });
    const out = JSON.parse(stdout.trim().split("\n").pop()!) as { statuses: number[]; afterOffline: number; afterModel: number };
    expect(out.statuses).toEqual([200, 200]);
    expect(out.afterOffline).toBe(0);
    expect(out.afterModel).toBeGreaterThan(0);
  }, 120_000);
});
