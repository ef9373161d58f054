// Peak resident memory of this process in KiB: its own high-water mark (VmHWM in /proc/self/status).
// getrusage's maxRSS is not that on Linux: it keeps the spawning process's RSS across fork and exec,
// so a harness holding more memory than the child raised every child's figure to its own.
import { readFileSync } from "node:fs";

export function peakRssKiB() {
  try {
    return Number(readFileSync("/proc/self/status", "utf8").match(/VmHWM:\s+(\d+)/)[1]);
  } catch {
    return process.resourceUsage().maxRSS;
  }
}
