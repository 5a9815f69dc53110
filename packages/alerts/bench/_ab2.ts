import { readFileSync } from "node:fs";
const oldMod = await import("/tmp/perf/old/src/parse/parse-alert.ts");
const newMod = await import("../src/parse/parse-alert.ts");
const fx = (n: string): any => JSON.parse(readFileSync(new URL(`../test/fixtures/${n}`, import.meta.url), "utf8"));
const byChannel: Record<string, unknown[]> = {
  arm: [...fx("kv-simulated-alerts.xsoar-excerpt.json").value, fx("cross-channel/arm.json")],
  export: [fx("cross-channel/export.json"), fx("export-simulated-sanitised.json")],
  "log-analytics": [fx("cross-channel/log-analytics-row.json")],
  graph: [fx("cross-channel/graph.json")],
};
let sink = 0;
for (const [ch, tpl] of Object.entries(byChannel)) {
  const texts = Array.from({ length: 1000 }, (_, i) => JSON.stringify(tpl[i % tpl.length]).replaceAll("203.0.113.77", `203.0.113.${i % 250}`).replaceAll("2516812345678901234", String(2516812345678901234n + BigInt(i))));
  const j = () => { for (const t of texts) if (JSON.parse(t) === null) sink++; };
  const o = () => { for (const t of texts) sink += oldMod.parseAlert(JSON.parse(t)).warnings.length; };
  const n = () => { for (const t of texts) sink += newMod.parseAlert(JSON.parse(t)).warnings.length; };
  for (let i = 0; i < 6; i++) { j(); o(); n(); }
  const tj: number[] = [], to: number[] = [], tn: number[] = [];
  const time = (f: () => void) => { const s = performance.now(); f(); return performance.now() - s; };
  for (let r = 0; r < 21; r++) { tj.push(time(j)); to.push(time(o)); tn.push(time(n)); }
  const min = (a: number[]) => Math.min(...a);
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[10]!;
  console.log(`${ch.padEnd(14)} min: old=${(min(to) / min(tj)).toFixed(2)} new=${(min(tn) / min(tj)).toFixed(2)}  median: old=${(med(to) / med(tj)).toFixed(2)} new=${(med(tn) / med(tj)).toFixed(2)}  new/old overhead(min)=${((min(tn) - min(tj)) / (min(to) - min(tj))).toFixed(2)}`);
}
