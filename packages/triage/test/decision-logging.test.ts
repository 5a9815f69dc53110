import { DefenderAlertsClient, type KeyVaultAlert } from "@keywarden/alerts";
import { getScenario } from "@keywarden/testing";
import { captureAzureLogs, useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { ArmVaultInspector, AzureNetworkIntelligence, GraphDirectory, logger, triageAlert } from "../src/index.js";
import { torFixture } from "./support/table-world.js";

/*
 * Triage's decisions are logged at verbose through the package's exported logger (captured here the way an
 * integrator routes @azure/logger output), from the real clients against the fake tenant's tor-secret-reads scenario.
 */
const retryOptions = { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
const seed = getScenario("tor-secret-reads");
const azure = useFakeAzure({ seed });

describe("triage logs each decision at verbose", () => {
  const { lines } = captureAzureLogs();

  it("names the origin and its evidence, each finding, each recommended action and the verdict, and never a secret value", async () => {
    const alerts: KeyVaultAlert[] = [];
    const subscriptionId = seed.subscriptions?.[0]?.subscriptionId ?? "";
    for await (const alert of new DefenderAlertsClient(azure.credential, { retryOptions }).listAlerts({ subscriptionIds: [subscriptionId] })) alerts.push(alert);
    const report = await triageAlert(alerts[0]!, {
      ...(seed.tenantId === undefined ? {} : { tenantId: seed.tenantId }),
      directory: new GraphDirectory(azure.credential, { retryOptions }),
      vaults: new ArmVaultInspector(azure.credential, { retryOptions }),
      network: new AzureNetworkIntelligence(azure.credential, { subscriptionId, torExitList: { text: torFixture }, retryOptions }),
      now: () => azure.clock.date(),
    });
    expect(logger.verbose.namespace).toBe("azure:keywarden-triage:verbose");
    const decisions = lines.filter((line) => line.startsWith("azure:keywarden-triage:verbose triage "));
    const about = `triage ${report.systemAlertId}:`;
    expect(decisions).toContainEqual(expect.stringContaining(`${about} origin outside-tenant from ip.tor-exit-node`));
    for (const finding of report.findings) {
      expect(decisions).toContainEqual(expect.stringContaining(`${about} finding ${finding.id} (${finding.severity}) from rule ${finding.ruleId}: `));
    }
    for (const action of report.decision.recommendedActions) {
      expect(decisions).toContainEqual(expect.stringContaining(`${about} recommends ${action.id} (${action.requiresApproval ? "needs approval" : "auto-approved by the policy"}) because of ${action.reason.findingId}`));
    }
    expect(decisions).toContainEqual(expect.stringContaining(`${about} closing the alert waits (containment-pending): Containment step enable-firewall:`));
    expect(decisions.at(-1)).toContain(`${about} verdict contain, ${report.decision.recommendedActions.length} action(s), 0 withheld`);
    const values = Object.values(seed.vaultData ?? {}).flatMap((data) => (data.secrets ?? []).flatMap((secret) => secret.versions.map((version) => version.value)));
    expect(values.length).toBeGreaterThan(0);
    for (const line of lines) for (const value of values) expect(line).not.toContain(value);
  });
});
