import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    reporters: ["default", "./tests/helpers/postgres-reporter.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite is WASM: one fork per file keeps memory bounded on 2 cores.
    pool: "forks",
    maxWorkers: 2,
  },
});
