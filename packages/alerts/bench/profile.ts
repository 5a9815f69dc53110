/**
 * Profiling harness (not part of `npm run bench`): parses one channel's texts in a loop so
 * `node --cpu-prof` sees only that channel's work. Usage:
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.ts log-analytics
 */
import { readFileSync } from "node:fs";
import { parseAlert, parseAlerts } from "../src/index.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON
function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), "utf8"));
}

const byChannel: Record<string, unknown[]> = {
  arm: [...fixture("kv-simulated-alerts.xsoar-excerpt.json").value, fixture("cross-channel/arm.json")],
  export: [fixture("cross-channel/export.json"), fixture("export-simulated-sanitised.json")],
  "log-analytics": [fixture("cross-channel/log-analytics-row.json")],
  graph: [fixture("cross-channel/graph.json")],
};
const channel = process.argv[2] ?? "log-analytics";
const seconds = Number(process.argv[3] ?? "4");
let sink = 0;
const deadline = Date.now() + seconds * 1000;
if (channel === "list") {
  const all = Object.values(byChannel).flat().slice(0, 6);
  const listText = JSON.stringify({ value: Array.from({ length: 500 }, (_, index) => all[index % all.length]) });
  while (Date.now() < deadline) sink += parseAlerts(listText).length;
} else {
  const templates = byChannel[channel]!;
  const texts = Array.from({ length: 1000 }, (_, index) => JSON.stringify(templates[index % templates.length]).replaceAll("203.0.113.77", `203.0.113.${index % 250}`));
  if (process.argv[4] === "objects") {
    const objects = texts.map((text) => JSON.parse(text) as unknown);
    while (Date.now() < deadline) for (const object of objects) sink += parseAlert(object).warnings.length;
  } else {
    while (Date.now() < deadline) for (const text of texts) sink += parseAlert(JSON.parse(text)).warnings.length;
  }
}
if (sink === -1) console.log("unreachable");
