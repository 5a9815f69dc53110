/**
 * Benchmark: how much does normalizing cost next to parsing the JSON?
 *
 * Builds a realistic mix of alert payload texts (ARM REST, continuous export, Log Analytics rows, Graph, real and
 * simulated Key Vault alerts and other Defender plans' alerts), then times `JSON.parse` alone and
 * `JSON.parse` + `parseAlert` over the same texts, in alternating rounds. Prints one `BENCH` line per benchmark:
 * `ratio` = time(JSON.parse + parseAlert) / time(JSON.parse).
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseAlert, parseAlerts } from "../src/index.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON
function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../test/fixtures/${name}`, import.meta.url), "utf8"));
}

const templates: unknown[] = [
  ...fixture("kv-simulated-alerts.xsoar-excerpt.json").value,
  fixture("cross-channel/arm.json"),
  fixture("cross-channel/arm.json"),
  fixture("cross-channel/export.json"),
  fixture("cross-channel/log-analytics-row.json"),
  fixture("cross-channel/graph.json"),
  fixture("export-simulated-sanitised.json"),
  ...fixture("GetAlertsSubscription_example.json").responses["200"].body.value,
];

/** Deterministic variations so no two texts are identical (ids, IPs, counts). */
function vary(template: unknown, index: number): string {
  const text = JSON.stringify(template);
  const octet = String(index % 250);
  return text
    .replaceAll("203.0.113.77", `203.0.113.${octet}`)
    .replaceAll("2516812345678901234", String(2516812345678901234n + BigInt(index)))
    .replaceAll("2517396773", String(2517396773 + index))
    .replaceAll("SecretGet:41", `SecretGet:${41 + (index % 97)}`);
}

let sink = 0;

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rounds = 15;

/** Times JSON.parse alone and JSON.parse + parseAlert over `texts`, alternating, and prints one BENCH line. */
function measure(name: string, texts: string[]): void {
  const jsonOnly = (): void => {
    // A cheap sink: the baseline must not do extra work that flatters the ratio.
    for (const text of texts) if (JSON.parse(text) === null) sink++;
  };
  const jsonAndParse = (): void => {
    for (const text of texts) sink += parseAlert(JSON.parse(text)).warnings.length;
  };
  // Warm up both paths so the JIT has compiled them before measuring.
  for (let i = 0; i < 5; i++) {
    jsonOnly();
    jsonAndParse();
  }
  const jsonTimes: number[] = [];
  const totalTimes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    jsonTimes.push(time(jsonOnly));
    totalTimes.push(time(jsonAndParse));
  }
  const jsonMs = median(jsonTimes);
  const totalMs = median(totalTimes);
  const kb = Math.round(texts.reduce((sum, text) => sum + text.length, 0) / 1024);
  console.log(
    `BENCH ${name} texts=${texts.length} kb=${kb} rounds=${rounds} json_ms=${jsonMs.toFixed(2)} ` +
      `json_parse_alert_ms=${totalMs.toFixed(2)} us_per_alert=${((totalMs * 1000) / texts.length).toFixed(2)} ratio=${(totalMs / jsonMs).toFixed(2)}`,
  );
}

const textCount = 3000;
const texts = Array.from({ length: textCount }, (_, index) => vary(templates[index % templates.length], index));
measure("alerts-parse", texts);

// Per channel, for context: Log Analytics rows carry JSON inside strings (a second JSON.parse is part of
// normalizing them), Graph evidence is copied into entity shape.
const byChannel: Record<string, unknown[]> = {
  arm: [...fixture("kv-simulated-alerts.xsoar-excerpt.json").value, fixture("cross-channel/arm.json")],
  export: [fixture("cross-channel/export.json"), fixture("export-simulated-sanitised.json")],
  "log-analytics": [fixture("cross-channel/log-analytics-row.json")],
  graph: [fixture("cross-channel/graph.json")],
};
for (const [channel, channelTemplates] of Object.entries(byChannel)) {
  measure(`alerts-parse-${channel}`, Array.from({ length: 1000 }, (_, index) => vary(channelTemplates[index % channelTemplates.length], index)));
}

// A 500-alert ARM list response, as DefenderAlertsClient parses each page. `per_alert_ratio` compares parseAlerts
// of the list with parseAlert of the same 500 alerts' texts one by one (both including JSON.parse, both keeping the
// 500 alerts, as a caller of either does): a list must not cost more per alert than single alerts do.
const listItems = Array.from({ length: 500 }, (_, index) => vary(templates[index % 6], index));
const listText = `{"value":[${listItems.join(",")}]}`;
const listJsonTimes: number[] = [];
const listTotalTimes: number[] = [];
const singleTimes: number[] = [];
for (let i = 0; i < 3; i++) sink += parseAlerts(listText).length;
for (let round = 0; round < rounds; round++) {
  listJsonTimes.push(time(() => void (sink += (JSON.parse(listText) as { value: unknown[] }).value.length)));
  listTotalTimes.push(time(() => void (sink += parseAlerts(listText).length)));
  singleTimes.push(
    time(() => {
      const kept: unknown[] = [];
      for (const item of listItems) kept.push(parseAlert(item));
      sink += kept.length;
    }),
  );
}
const listJsonMs = median(listJsonTimes);
const listTotalMs = median(listTotalTimes);
const singleMs = median(singleTimes);
console.log(
  `BENCH alerts-parse-list alerts=500 kb=${Math.round(listText.length / 1024)} rounds=${rounds} json_ms=${listJsonMs.toFixed(2)} ` +
    `parse_alerts_ms=${listTotalMs.toFixed(2)} ratio=${(listTotalMs / listJsonMs).toFixed(2)} ` +
    `parse_alert_each_ms=${singleMs.toFixed(2)} per_alert_ratio=${(listTotalMs / singleMs).toFixed(2)}`,
);
if (sink === -1) console.log("unreachable");
