/**
 * The goals of issue 21 side by side, written from this run's figures: "before" is the baseline
 * commit built and timed in the same run (cold starts); the load sections have no baseline in
 * the run (their earlier figures are in BENCHMARKS.md's git history).
 */
import { wholeProcessCheck, type ColdStartResult } from "./cold-start.js";
import type { OutsideRow } from "./outside.js";
import type { WebhookAckResult } from "./webhook-ack.js";

export interface GoalsInput {
  cold: ColdStartResult | null;
  outside: OutsideRow[];
  chat: Record<string, { serverP50: number; serverP99: number; storeP50: number; ownP50: number; ownP99: number }>;
  ack: WebhookAckResult[];
  baseline: string;
}

/** Issue 21's cold-start floors, ms over the bare-node floor (undefined: no goal for that function). */
export const coldGoalOf = (fn: string): number | undefined =>
  fn === "health" ? 50 : /webhook/.test(fn) ? 80 : ["chat", "lead", "checkout"].includes(fn) ? 100 : undefined;

const f = (n: number | undefined, d = 1) => (n !== undefined && Number.isFinite(n) ? n.toFixed(d) : "—");
const yes = (ok: boolean | undefined) => (ok === undefined ? "not run" : ok ? "yes" : "no");

export function goalsSection(g: GoalsInput): string {
  const c = g.cold;
  const base = g.baseline.slice(0, 7);
  const over = (name: string, mode = "netlify") => {
    const row = c?.rows.find((x) => x.name === name && x.mode === mode);
    return row && c ? row.wallMs - c.floor.wallMs : undefined;
  };
  const before = (fn: string, mode = "netlify") => over(`${fn}, before (${base})`, mode);
  const cold = (fns: string[], label: string, mode = "netlify") => {
    const goal = coldGoalOf(fns[0]!)!;
    const now = fns.map((fn) => over(fn, mode));
    const was = fns.map((fn) => before(fn, mode));
    const met = now.every((x) => x !== undefined) ? now.every((x) => x! <= goal) : undefined;
    return `| ${label} cold start ≤ ${goal} ms over the floor (${fns.join(" / ")}${mode === "netlify" ? "" : `, ${mode} build`}) | ${was.map((x) => f(x)).join(" / ")} ms | ${now.map((x) => f(x)).join(" / ")} ms | ${yes(met)} |`;
  };
  const memory = (mode: "now" | "before") => {
    const rows = c?.rows.filter((x) => x.mode === "netlify" && (mode === "before") === x.name.includes(", before (") && !x.name.includes("SENTRY")) ?? [];
    const ratios = rows.map((x) => x.rssMiB / c!.floor.rssMiB);
    return ratios.length ? { min: Math.min(...ratios), max: Math.max(...ratios) } : undefined;
  };
  const memNow = memory("now");
  const memBefore = memory("before");
  // The goal's runs (200/s, answers here): the one with the median p99 stands for them.
  const runs200 = g.ack.filter((a) => a.rate === 200 && a.answers === "here").sort((a, b) => a.p99 - b.p99);
  const ack200 = runs200[Math.floor((runs200.length - 1) / 2)];
  const elsewhere = g.ack.find((a) => a.rate === 200 && a.answers === "elsewhere");
  const pg = g.chat.postgres;
  // The cold-start column against the same processes timed whole, spawn to exit (same rounds).
  const ratios = g.outside.map((o) => {
    const row = c?.rows.find((x) => x.name === o.name && x.mode === "netlify");
    return { name: o.name, r: row && c ? wholeProcessCheck(c, row).ratio : NaN };
  });
  const rows = [
    cold(["health"], "health"),
    cold(["whatsapp-webhook", "messenger-webhook", "stripe-webhook"], "webhook"),
    cold(["chat", "lead", "checkout"], "chat, lead, checkout"),
    cold(["health"], "health", "vercel"),
    cold(["whatsapp-webhook"], "webhook", "vercel"),
    `| peak memory ≤ 1.3 × the floor (netlify builds) | ${memBefore ? `${f(memBefore.min, 2)}–${f(memBefore.max, 2)} ×` : "—"} | ${memNow ? `${f(memNow.min, 2)}–${f(memNow.max, 2)} ×` : "—"} | ${yes(memNow && memNow.max <= 1.3)} |`,
    `| webhook ack p99 ≤ 50 ms at 200/s, answers on this machine | — | ${ack200 ? `${f(ack200.p99)} ms (p50 ${f(ack200.p50)}, p90 ${f(ack200.p90)})${runs200.length > 1 ? `, the median of ${runs200.length} runs (p99 ${runs200.map((a) => f(a.p99)).join(" / ")} ms)` : ""}${elsewhere ? `; answers elsewhere: p99 ${f(elsewhere.p99)} ms` : ""}` : "—"} | ${yes(ack200 && ack200.p99 <= 50)} |`,
    `| every delivery answered exactly once at 200/s, backlog drained | — | ${ack200 ? `${ack200.once}/${ack200.sent} once, ${ack200.twice} twice, drained ${f(ack200.drainS)} s after the load${runs200.length > 1 ? ` (every run: section 4)` : ""}` : "—"} | ${yes(ack200 && g.ack.filter((a) => a.rate === 200).every((a) => a.once === a.sent && a.twice === 0 && Number.isFinite(a.drainS)))} |`,
    `| chat server time p50 ≤ 5 ms, p99 ≤ 25 ms on PostgreSQL at 50/s | — | ${pg ? `${f(pg.serverP50)} / ${f(pg.serverP99)} ms (PostgreSQL ${f(pg.storeP50)} ms of it; Comptoir's own code ${f(pg.ownP50)} / ${f(pg.ownP99)} ms)` : "—"} | ${pg ? `p50 ${yes(pg.serverP50 <= 5)}, p99 ${yes(pg.serverP99 <= 25)}` : "not run"} |`,
    `| cold-start column within 15 % of an outside (whole-process, hyperfine-style) timing | — | ${ratios.map((x) => `${x.name} ${f(x.r, 2)} ×`).join(", ") || "—"} | ${yes(ratios.length ? ratios.every((x) => x.r >= 0.85 && x.r <= 1.15) : undefined)} |`,
    `| upload size per function, largest packages named | — | section 1 | ${yes(c ? c.rows.some((x) => Number.isFinite(x.uploadMB)) : undefined)} |`,
  ];
  const pf = c?.platformFloor;
  const platform = c && pf
    ? ` What no web handler can avoid: a process that only builds a Request and a Response, as a platform's runtime does around every web handler (scripts/bench/platform-child.mjs), is already ${f(pf.wallMs - c.floor.wallMs)} ms over the bare floor and peaks at ${f(pf.rssMiB / c.floor.rssMiB, 2)} × its memory (Node loads undici on the first \`new Request\`).`
    : "";
  return `## The goals of issue 21, side by side (from this run)

"Before" is commit ${base}, built and timed in the same paired rounds; the load sections were not
re-run on it (their earlier figures are in this file's git history, measured on other days at
other machine loads). Cold starts over the bare-node floor, Netlify build unless the row says
Vercel.${platform}

| goal | before (${base}) | now | met? |
| --- | ---: | ---: | --- |
${rows.join("\n")}
`;
}
