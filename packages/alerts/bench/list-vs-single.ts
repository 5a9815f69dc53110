import { readFileSync } from "node:fs";
import { parseAlert, parseAlerts } from "../src/index.js";
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures are loosely typed JSON
const xsoar: any = JSON.parse(readFileSync(new URL("../test/fixtures/kv-simulated-alerts.xsoar-excerpt.json", import.meta.url), "utf8"));
const items = Array.from({ length: 500 }, (_, i) => JSON.stringify(xsoar.value[i % xsoar.value.length]).replaceAll("203.0.113.77", `203.0.113.${i % 250}`));
const listText = `{"value":[${items.join(",")}]}`;
let sink = 0;
function t(name: string, fn: () => void): void {
  for (let i = 0; i < 10; i++) fn();
  const ts: number[] = [];
  for (let r = 0; r < 15; r++) { const s = performance.now(); fn(); ts.push(performance.now() - s); }
  ts.sort((a, b) => a - b);
  console.log(name, ts[7]!.toFixed(2));
}
t("json list", () => void (sink += (JSON.parse(listText) as { value: unknown[] }).value.length));
t("json items", () => { for (const x of items) sink += JSON.parse(x) === null ? 1 : 0; });
t("parseAlerts", () => void (sink += parseAlerts(listText).length));
t("items parseAlert", () => { for (const x of items) sink += parseAlert(JSON.parse(x)).warnings.length; });
const objects = (JSON.parse(listText) as { value: unknown[] }).value;
t("objects-from-list parseAlert", () => { for (const x of objects) sink += parseAlert(x).warnings.length; });
t("objects parseAlerts", () => void (sink += parseAlerts(objects).length));
if (sink === -1) console.log(sink);
