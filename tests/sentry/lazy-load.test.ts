import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

/** Runs the fixture in a fresh Node process and returns what it printed. */
async function probe(env: Record<string, string>) {
  const { stdout } = await run(process.execPath, ["--import", "tsx", "tests/sentry/fixtures/load-graph.ts"], {
    env: { PATH: process.env.PATH ?? "", ...env },
    timeout: 60_000,
  });
  return JSON.parse(stdout.trim().split("\n").pop()!) as { statuses: number[]; sentryModules: number };
}

describe("Sentry stays off the module graph", () => {
  it("never loads @sentry/node without SENTRY_DSN, even when a request fails with a bug", async () => {
    const out = await probe({});
    expect(out.statuses).toEqual([200, 500]);
    expect(out.sentryModules).toBe(0);
  });

  it("loads it only once a bug is captured with SENTRY_DSN set (the probe can see it)", async () => {
    // Port 9 (discard) on loopback: the send fails fast, which is fine for this check.
    const out = await probe({ PROBE_SENTRY_DSN: "http://public@127.0.0.1:9/1" });
    expect(out.statuses).toEqual([200, 500]);
    expect(out.sentryModules).toBeGreaterThan(0);
  });
});
