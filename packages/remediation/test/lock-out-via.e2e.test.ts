import { MonitorClient } from "@azure/arm-monitor";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { DefenderAlertsClient } from "@keywarden/alerts";
import { measureImpact } from "@keywarden/impact";
import type { FakeAzureSeed } from "@keywarden/testing";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { ArmVaultInspector, GraphDirectory, triageAlert } from "@keywarden/triage";
import { describe, expect, it } from "vitest";
import { formatPlan, planResponse } from "../src/index.js";
import { ALERT_ID, ATTACKER, remediationSeed, RESPONDER_IP, SUB, SUBNET_ID, TENANT, VAULT, VAULT_ID } from "./support/seed.js";

const WORKSPACE_ID = `/subscriptions/${SUB}/resourceGroups/rg-prod/providers/Microsoft.OperationalInsights/workspaces/la-security`;
const WORKSPACE_CUSTOMER_ID = "6f1d2c3b-0000-4000-8000-00000000beef";
const PRIVATE_ENDPOINT = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-kv-prod`;
const host = `https://${VAULT}.vault.azure.net`;

/** An AZKVAuditLogs row of kv-prod with the network fields the service records. */
function row(minute: number, ip: string, oid: string, network: Record<string, string> = {}): Record<string, unknown> {
  return {
    TimeGenerated: `2026-11-28T08:${String(minute).padStart(2, "0")}:00Z`,
    OperationName: "SecretGet",
    CallerIpAddress: ip,
    Identity: { claim: { oid } },
    HttpStatusCode: 200,
    ResultType: "Success",
    ResultSignature: "OK",
    Id: `${host}/secrets/app-config/0123456789abcdef0123456789abcdef`,
    RequestUri: `${host}/secrets/app-config?api-version=7.5`,
    _ResourceId: VAULT_ID.toLowerCase(),
    Type: "AZKVAuditLogs",
    ...network,
  };
}

const VNET_APP = "b0b0b0b0-0000-4000-8000-000000000001";
const PE_APP = "b0b0b0b0-0000-4000-8000-000000000002";
const BACKUP = "b0b0b0b0-0000-4000-8000-000000000003";
const ALLOWED_USER = "b0b0b0b0-0000-4000-8000-000000000004";
const HOME_USER = "b0b0b0b0-0000-4000-8000-000000000005";

function seed(): FakeAzureSeed {
  const base = remediationSeed();
  const vaults = (base.vaults ?? []).map((vault) =>
    vault.id === VAULT_ID
      ? {
          ...vault,
          properties: {
            ...vault.properties,
            privateEndpointConnections: [
              {
                id: `${VAULT_ID}/privateEndpointConnections/pe-kv-prod`,
                properties: {
                  privateEndpoint: { id: PRIVATE_ENDPOINT },
                  privateLinkServiceConnectionState: { status: "Approved", description: "Auto-approved", actionsRequired: "None" },
                  provisioningState: "Succeeded",
                },
              },
            ],
          },
        }
      : vault,
  );
  const rows = [
    row(41, "185.220.101.45", ATTACKER, { AddressAuthorizationType: "Public IP" }),
    row(10, "10.20.0.5", VNET_APP, { AddressAuthorizationType: "subnet", SubnetId: SUBNET_ID }),
    row(11, "10.30.0.9", PE_APP, { AddressAuthorizationType: "private connection" }),
    // A trusted Microsoft service on a public Azure address: the AzureServices bypass lets it in, not an ip rule.
    row(12, "52.174.1.9", BACKUP, { AddressAuthorizationType: "Public IP", TrustedService: "AzureBackup" }),
    row(13, "198.51.100.7", ALLOWED_USER, { AddressAuthorizationType: "Public IP" }),
    row(14, "203.0.113.200", HOME_USER, { AddressAuthorizationType: "Public IP" }),
  ];
  return {
    ...base,
    vaults,
    workspaces: [
      { id: WORKSPACE_ID, name: "la-security", location: "westeurope", properties: { customerId: WORKSPACE_CUSTOMER_ID }, tables: { AZKVAuditLogs: { rows } } },
    ],
    diagnosticSettings: [
      {
        id: `${VAULT_ID}/providers/microsoft.insights/diagnosticSettings/to-sentinel`,
        name: "to-sentinel",
        properties: { workspaceId: WORKSPACE_ID, logs: [{ category: "AuditEvent", enabled: true }] },
      },
    ],
  };
}

const tenant = useFakeAzure({ seed: seed(), autoAdvanceInMs: 1000 });
const retryOptions = { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 10 };

describe("the lock-out preview models the firewall from the measured callers (issue 13, item 4)", () => {
  it("VNet, private-endpoint and bypass callers are not cut off; only the uncovered public address is", async () => {
    const alert = await new DefenderAlertsClient(tenant.credential, { retryOptions }).getAlert(ALERT_ID);
    const report = await triageAlert(
      alert,
      {
        tenantId: TENANT,
        vaults: new ArmVaultInspector(tenant.credential, { retryOptions }),
        directory: new GraphDirectory(tenant.credential, { retryOptions }),
        now: () => new Date("2026-11-28T09:00:00Z"),
      },
      { simulatedAlerts: "respond" },
    );
    expect(report.source.vault.firewall?.approvedPrivateEndpoints).toBe(1);

    const impact = await measureImpact(alert, {
      client: new LogsQueryClient(tenant.credential, { retryOptions }),
      diagnosticSettings: new MonitorClient(tenant.credential, SUB, { retryOptions }),
      now: new Date("2026-11-28T09:00:00Z"),
      tables: ["AZKVAuditLogs"],
    });
    const via = Object.fromEntries(impact.callers.map((caller) => [caller.objectId, caller.via]));
    expect(via).toMatchObject({ [VNET_APP]: "virtual-network", [PE_APP]: "private-endpoint", [BACKUP]: "trusted-service", [HOME_USER]: "public" });

    const plan = planResponse(report, impact, { now: "2026-11-28T09:01:00Z", firewall: { addIpRules: [RESPONDER_IP] }, secrets: { allowRandomValue: true } });
    const firewall = plan.steps.find((step) => step.kind === "enable-firewall");
    expect(firewall?.kind).toBe("enable-firewall");
    expect(firewall?.kind === "enable-firewall" && firewall.parameters.cutOffCallers.map((caller) => caller.ipAddress)).toEqual(["203.0.113.200"]);
    const text = formatPlan(plan);
    for (const address of ["10.20.0.5", "10.30.0.9", "52.174.1.9", "198.51.100.7"]) expect(text).not.toContain(address);
  });
});
