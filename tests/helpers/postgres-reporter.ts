/**
 * Says how many real-PostgreSQL tests ran (their suites are named "... PostgreSQL ..."), so a CI
 * log shows they were executed and not skipped.
 */
import type { Reporter, TestCase } from "vitest/node";

export default class PostgresReporter implements Reporter {
  private ran = 0;
  private ok = 0;
  private skipped = 0;

  onTestCaseResult(test: TestCase) {
    if (!/PostgreSQL/.test(test.fullName)) return;
    const state = test.result().state;
    if (state === "skipped" || state === "pending") this.skipped++;
    else {
      this.ran++;
      if (state === "passed") this.ok++;
    }
  }

  onTestRunEnd() {
    const how = process.env.TEST_DATABASE_URL ? "TEST_DATABASE_URL set" : "TEST_DATABASE_URL not set";
    console.log(`\n[comptoir] real-PostgreSQL tests: ${this.ran} executed (${this.ok} ok), ${this.skipped} skipped (${how})\n`);
  }
}
