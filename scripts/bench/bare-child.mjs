// The floor of a cold start: a Node process that imports nothing, in the same shape as cold-child.mjs.
import { peakRssKiB } from "./peak-rss.mjs";
const cpu = process.cpuUsage();
process.stdout.write(`served 0 ${((cpu.user + cpu.system) / 1000).toFixed(1)} ${peakRssKiB()} ${performance.now().toFixed(1)}\n`);
