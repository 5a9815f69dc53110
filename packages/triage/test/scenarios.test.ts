import { describe, expect, it } from "vitest";
import { DefenderAlertsClient, type KeyVaultAlert } from "@keywarden/alerts";
import { getScenario, SCENARIO_NAMES, type ScenarioName } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import {
  ArmVaultInspector,
  AzureNetworkIntelligence,
  formatTriageReport,
  GraphDirectory,
  triageAlerts,
  type RecommendedAction,
  type TriageContext,
  type TriageReport,
} from "../src/index.js";
import { torFixture } from "./support/table-world.js";

const retryOptions = { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
const azure = useFakeAzure();

/** What each shipped scenario must lead to, written from the scenario's description and the rules. */
const EXPECTED: Record<ScenarioName, { origin: string; verdict: string; actions: string[]; check?: (report: TriageReport) => void }> = {
  "tor-secret-reads": {
    origin: "outside-tenant",
    verdict: "contain",
    actions: ["contact-owner", "enable-firewall", "restrict-permissions", "revoke-sessions", "measure-impact", "rotate-secrets", "disable-secrets", "update-alert-state"],
    check: (report) => {
      expect(report.source.ip.torExitNode).toBe(true);
      expect(report.source.principal).toMatchObject({ type: "user", membership: "in-tenant", userPrincipalName: "ravi.patel@contoso.example" });
      expect(action(report, "restrict-permissions").parameters).toMatchObject({ remove: { secrets: ["Get", "List"], keys: ["Get"] } });
      expect(action(report, "rotate-secrets").parameters).toMatchObject({ names: ["stripe-api-key"] });
    },
  },
  "unusual-app": {
    origin: "outside-tenant",
    verdict: "contain",
    actions: ["contact-owner", "enable-firewall", "remove-role-assignments", "measure-impact", "rotate-secrets", "disable-secrets", "update-alert-state"],
    check: (report) => {
      expect(report.source.principal).toMatchObject({ type: "service-principal", membership: "in-tenant", displayName: "report-exporter" });
      expect(report.source.principal.owners.map((o) => o.userPrincipalName)).toEqual(["mina.okafor@contoso.example"]);
      const removal = action(report, "remove-role-assignments");
      expect(removal.parameters.assignments.map((a) => [a.roleName, a.inheritance])).toEqual([["Key Vault Secrets User", "direct"]]);
      expect(action(report, "contact-owner").parameters.recipients.map((r) => r.role)).toEqual(["principal-owner", "vault-owner"]);
    },
  },
  "denied-probing-suspicious-ip": {
    origin: "outside-tenant",
    verdict: "investigate",
    actions: ["measure-impact", "update-alert-state"],
    check: (report) => {
      expect(report.source.accessOutcome).toBe("denied");
      expect(report.source.ip.vaultFirewall).toMatchObject({ firewallEnabled: true, allowed: false });
      expect(report.findings.find((f) => f.ruleId === "kv/unrecognised-ip")?.messageId).toBe("blocked");
    },
  },
  "directory-role-user": {
    origin: "outside-tenant",
    verdict: "contain",
    actions: ["contact-owner", "escalate-to-admin", "enable-firewall", "restrict-permissions", "revoke-sessions", "measure-impact", "rotate-secrets", "disable-secrets", "update-alert-state"],
    check: (report) => {
      expect(action(report, "escalate-to-admin").parameters.directoryRoles.map((r) => [r.roleName, r.state])).toEqual([
        ["Global Administrator", "active"],
        ["Privileged Role Administrator", "eligible"],
      ]);
      expect(action(report, "restrict-permissions").parameters.remove).toEqual({ secrets: ["Get", "List", "Backup"] });
      expect(action(report, "rotate-secrets").parameters.includeExposedFromImpact).toBe(true);
    },
  },
  "policy-change-then-reads": {
    origin: "outside-tenant",
    verdict: "contain",
    actions: ["contact-owner", "enable-firewall", "remove-access-policy", "revoke-sessions", "measure-impact", "rotate-secrets", "disable-secrets", "update-alert-state"],
    check: (report) => {
      expect(report.source.principal).toMatchObject({ type: "user", membership: "foreign", userType: "Guest" });
      expect(action(report, "remove-access-policy").parameters.entries).toEqual([
        { tenantId: report.source.vault.tenantId, objectId: report.source.principal.objectId, permissions: { secrets: ["Get", "List"] } },
      ]);
      expect(action(report, "contact-owner").parameters.topics).toContain("review-policy-change");
      // The guest is not asked about its own access; the vault owner is.
      expect(action(report, "contact-owner").parameters.recipients).toEqual([{ role: "vault-owner" }]);
      expect(report.source.application?.displayName).toBe("Azure Portal");
      expect(report.source.principal.vaultAccess?.canChangeAccess).toBe(true);
      expect(report.findings.map((f) => f.messageId)).toContain("inherited");
    },
  },
};

function action<K extends RecommendedAction["kind"]>(report: TriageReport, kind: K): Extract<RecommendedAction, { kind: K }> {
  const found = report.decision.recommendedActions.find((a) => a.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} action in ${report.decision.recommendedActions.map((a) => a.kind).join(", ")}`);
  return found as Extract<RecommendedAction, { kind: K }>;
}

async function alertsOf(subscriptionIds: string[]): Promise<KeyVaultAlert[]> {
  const client = new DefenderAlertsClient(azure.credential, { retryOptions });
  const alerts: KeyVaultAlert[] = [];
  for await (const alert of client.listAlerts({ subscriptionIds })) alerts.push(alert);
  return alerts;
}

describe("every shipped scenario, end to end through the fake tenant with the real Azure SDK clients", () => {
  it("ships the scenarios this test knows", () => {
    expect([...SCENARIO_NAMES].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of SCENARIO_NAMES) {
    it(name, async () => {
      const seed = getScenario(name);
      azure.reset(seed);
      const alerts = await alertsOf((seed.subscriptions ?? []).map((s) => s.subscriptionId));
      expect(alerts).toHaveLength(1);
      const context: TriageContext = {
        ...(seed.tenantId === undefined ? {} : { tenantId: seed.tenantId }),
        tenantAddressSpace: [{ range: "198.51.100.0/24", label: "corporate egress" }],
        directory: new GraphDirectory(azure.credential, { retryOptions }),
        vaults: new ArmVaultInspector(azure.credential, { retryOptions }),
        network: new AzureNetworkIntelligence(azure.credential, {
          subscriptionId: seed.subscriptions?.[0]?.subscriptionId ?? "",
          torExitList: { text: torFixture },
          retryOptions,
        }),
        now: () => azure.clock.date(),
      };
      const [report] = await triageAlerts(alerts, context);
      const expected = EXPECTED[name];
      expect(report!.source.missingEvidence.filter((m) => m.error !== undefined)).toEqual([]);
      expect(report!.source.origin).toBe(expected.origin);
      expect(report!.decision.verdict).toBe(expected.verdict);
      expect(report!.decision.recommendedActions.map((a) => a.kind).sort()).toEqual([...expected.actions].sort());
      expected.check?.(report!);
      expect(JSON.parse(JSON.stringify(report))).toEqual(report);
      expect(formatTriageReport(report!)).toContain(alerts[0]!.vault.name);
      // Triage only reads: no request it made changed anything.
      expect(azure.calls.all().filter((c) => c.method !== "GET" && !c.url.includes("/oauth2/"))).toEqual([]);
    });
  }
});
