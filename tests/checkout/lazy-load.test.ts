/** The stripe SDK stays off the module graph until a payment route needs it. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("stripe is loaded lazily", () => {
  it("importing the payment routes (and others) or verifying a webhook loads no stripe module; a Stripe call does", async () => {
    const { stdout } = await run(process.execPath, ["--import", "tsx", "tests/checkout/fixtures/load-graph.ts"], {
      env: { PATH: process.env.PATH ?? "" },
      timeout: 60_000,
    });
    const out = JSON.parse(stdout.trim().split("\n").pop()!) as { statuses: number[]; afterImports: number; afterWebhook: number; afterSdk: number };
    // The stub store knows no session (404); the bad signature is refused (401).
    expect(out.statuses).toEqual([404, 401]);
    expect(out.afterImports).toBe(0);
    // The signature is checked with node:crypto (lib/integrations/stripe/webhook.ts).
    expect(out.afterWebhook).toBe(0);
    expect(out.afterSdk).toBeGreaterThan(0); // the hook sees a lazy load
  });
});
