import type { Clock } from "@keywarden/core";
import { readFileSync } from "node:fs";
import { InMemoryDefenderAlerts, parseAlerts } from "@keywarden/alerts";
import { describe, expect, it } from "vitest";
import { updateCoveredAlerts } from "../apply/update-covered-alerts.js";
import { defineSuppressionRule } from "../rule/define-suppression-rule.js";
import { createArmAlertStateStore } from "./arm-alert-state-store.js";

const alerts = parseAlerts(JSON.parse(readFileSync(new URL("../../test/fixtures/kv-simulated-alerts.xsoar-excerpt.json", import.meta.url), "utf8")));
const subscriptionId = "0f907ea4-bc8b-4c11-9d7e-805c2fd144fb";

describe("createArmAlertStateStore over a DefenderAlertsApi", () => {
  it("lists simulated alerts too, resolves covered ones once, and reads a missing alert as undefined", async () => {
    const client = new InMemoryDefenderAlerts(alerts);
    const store = createArmAlertStateStore({ alertsClient: client, subscriptionIds: [subscriptionId] });
    const listed = [];
    for await (const alert of store.list()) listed.push(alert.alertType);
    expect(listed).toHaveLength(5);

    const rule = defineSuppressionRule({ name: "samples", alertType: "SIMULATED_KV_ListGetAnomaly", reason: "NotRelevant", expiresOn: "2026-07-01T00:00:00Z" });
    const clock: Clock = { now: () => Date.parse("2026-06-01T00:00:00Z"), sleep: () => Promise.resolve() };
    const first = await updateCoveredAlerts([rule], { alerts: store, action: "resolve", clock });
    expect(first.results.map((result) => [result.alertType, result.status, result.to])).toEqual([["SIMULATED_KV_ListGetAnomaly", "updated", "Resolved"]]);
    const again = await updateCoveredAlerts([rule], { alerts: store, action: "resolve", clock });
    expect(again.results.map((result) => result.status)).toEqual(["already-closed"]);

    const missing = alerts[0]!.id.replace(/alerts\/[^/]+$/, "alerts/does-not-exist");
    expect(await store.get(missing)).toBeUndefined();
  });
});
