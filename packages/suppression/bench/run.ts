/**
 * BENCH suppression-preview: 50 rules previewed against 100,000 alerts, against the time to JSON.parse those alerts
 * (the least any consumer of the alerts pays). Goal: ratio <= 1.
 *
 *   npm run bench -w @keywarden/suppression
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseAlerts, type KeyVaultAlert } from "@keywarden/alerts";
import { KEY_VAULT_ALERT_TYPES, defineSuppressionRule, previewSuppression, type SuppressionRule } from "../src/index.js";

const ALERTS = 100_000;
const RUNS = 5;

const fixture = JSON.parse(readFileSync(new URL("../test/fixtures/kv-simulated-alerts.xsoar-excerpt.json", import.meta.url), "utf8"));
const templates: KeyVaultAlert[] = parseAlerts(fixture);
const ip = (n: number) => `198.51.${(n >> 8) & 255}.${n & 255}`;
const user = (n: number) => `6a3f0d1e-0000-4000-8000-${String(n).padStart(12, "0")}`;
const vault = (n: number) => `/subscriptions/0f907ea4-bc8b-4c11-9d7e-805c2fd144fb/resourceGroups/rg-${n % 40}/providers/Microsoft.KeyVault/vaults/kv-app-${n % 400}`;

function makeAlert(i: number): KeyVaultAlert {
  const template = templates[i % templates.length]!;
  const alertType = i % 10 === 0 ? template.alertType : KEY_VAULT_ALERT_TYPES[i % KEY_VAULT_ALERT_TYPES.length]!;
  const id = template.id.replace(/alerts\/.*$/, `alerts/2517396773228188817_${String(i).padStart(12, "0")}`);
  return {
    ...template,
    id,
    systemAlertId: `2517396773228188817_${String(i).padStart(12, "0")}`,
    alertType,
    entities: [
      { type: "azure-resource", properties: { $id: `centralus_${i}_1`, resourceId: vault(i), type: "azure-resource" } },
      { type: "account", properties: { $id: `centralus_${i}_2`, aadUserId: user(i % 5000), isValid: true, type: "account" } },
      { type: "ip", properties: { $id: `centralus_${i}_3`, address: ip(i % 60_000), location: { countryCode: "US", city: "Washington" }, type: "ip" } },
    ],
  };
}

function makeRules(): SuppressionRule[] {
  const rules: SuppressionRule[] = [];
  const expiresOn = "2026-12-31T00:00:00Z";
  KEY_VAULT_ALERT_TYPES.forEach((alertType, t) => {
    rules.push(defineSuppressionRule({ name: `ip-${t}`, alertType, reason: "SpecificEntityFalsePositive", expiresOn, scope: [{ field: "entities.ip.address", in: Array.from({ length: 20 }, (_, k) => ip(t * 97 + k * 13)) }] }));
    rules.push(defineSuppressionRule({ name: `user-${t}`, alertType, reason: "FalsePositive", expiresOn, scope: [{ field: "entities.account.aaduserid", in: [user(t), user(t + 100)] }, { field: "entities.azureresource.resourceid", contains: `/vaults/kv-app-${t}` }] }));
    rules.push(defineSuppressionRule({ name: `vault-${t}`, alertType, reason: "NotRelevant", expiresOn, scope: [{ field: "entities.azureresource.resourceid", contains: `rg-${t}/providers` }] }));
  });
  for (const template of templates) {
    rules.push(defineSuppressionRule({ name: `sample-${template.kind}`.slice(0, 50), alertType: template.alertType, reason: "NotRelevant", expiresOn, scope: [{ field: "entities.ip.address", in: ["00.00.00.00"] }] }));
  }
  rules.push(defineSuppressionRule({ name: "scanner-any", alertType: "*", reason: "Noise", expiresOn, scope: [{ field: "entities.ip.address", in: Array.from({ length: 50 }, (_, k) => ip(k * 1000)) }] }));
  rules.push(defineSuppressionRule({ name: "breakglass-any", alertType: "*", reason: "Other", expiresOn, scope: [{ field: "entities.account.aaduserid", in: [user(42)] }] }));
  rules.push(defineSuppressionRule({ name: "lab-vaults", alertType: "KV_AppAnomaly", reason: "NotRelevant", expiresOn, scope: [{ field: "entities.azureresource.resourceid", contains: "/vaults/kv-app-39" }] }));
  return rules;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const rules = makeRules();
// One JSON document per alert (JSON Lines, as an export or a download would hold them): 100,000 normalized alerts
// are over V8's maximum string length as a single document.
const lines = Array.from({ length: ALERTS }, (_, i) => JSON.stringify(makeAlert(i)));
const bytes = lines.reduce((sum, line) => sum + line.length, 0);

let alerts: KeyVaultAlert[] = [];
const parseTimes: number[] = [];
for (let run = 0; run < RUNS; run += 1) {
  const start = performance.now();
  alerts = lines.map((line) => JSON.parse(line) as KeyVaultAlert);
  parseTimes.push(performance.now() - start);
}

let suppressed = 0;
const previewTimes: number[] = [];
for (let run = 0; run < RUNS; run += 1) {
  const start = performance.now();
  const preview = previewSuppression(rules, alerts, { at: "2026-06-01T00:00:00Z" });
  previewTimes.push(performance.now() - start);
  suppressed = preview.suppressedAlertIds.length;
}

const parseMs = median(parseTimes);
const previewMs = median(previewTimes);
console.log(
  `BENCH suppression-preview rules=${rules.length} alerts=${ALERTS} suppressed=${suppressed} json_mb=${(bytes / 1e6).toFixed(1)} ` +
    `preview_ms=${previewMs.toFixed(1)} json_parse_ms=${parseMs.toFixed(1)} ratio=${(previewMs / parseMs).toFixed(3)}`,
);
