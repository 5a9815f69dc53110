import { MonitorClient } from "@azure/arm-monitor";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import { measureImpact, type ImpactCaller, type MeasureImpactOptions } from "../src/index.js";
import { attackerOid, auditRow, diagnosticsRow, host, seed, subscriptionId, torAlert, v1 } from "./fixtures.js";

const SUBNET = `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/app`;
const PRIVATE_ENDPOINT = `/subscriptions/${subscriptionId}/resourceGroups/rg-net/providers/Microsoft.Network/privateEndpoints/pe-kv`;
const VNET_APP = "a11a0000-0000-4000-8000-000000000001";
const PE_APP = "a11a0000-0000-4000-8000-000000000002";
const BACKUP = "a11a0000-0000-4000-8000-000000000003";
const PUBLIC_USER = "a11a0000-0000-4000-8000-000000000004";
const OLD_LOG_USER = "a11a0000-0000-4000-8000-000000000005";
const MIXED_USER = "a11a0000-0000-4000-8000-000000000006";
const DIAG_VNET = "a11a0000-0000-4000-8000-000000000007";
const DIAG_PE = "a11a0000-0000-4000-8000-000000000008";

const secret = `${host}/secrets/app-config/${v1}`;
const at = (minute: number) => `2026-01-15T09:${String(minute).padStart(2, "0")}:00Z`;

/** Census rows of the vault's other callers, each with the network fields AZKVAuditLogs records. */
const audit = [
  auditRow({ time: at(1), op: "SecretGet", uri: `${host}/secrets/db-password/${v1}`, oid: attackerOid }),
  { ...auditRow({ time: at(2), op: "SecretGet", uri: secret, ip: "10.20.0.5", oid: VNET_APP }), AddressAuthorizationType: "subnet", SubnetId: SUBNET },
  { ...auditRow({ time: at(3), op: "SecretGet", uri: secret, ip: "10.30.0.9", oid: PE_APP }), AddressAuthorizationType: "private connection" },
  { ...auditRow({ time: at(4), op: "SecretGet", uri: secret, ip: "52.174.1.9", oid: BACKUP }), AddressAuthorizationType: "Public IP", TrustedService: "AzureBackup" },
  { ...auditRow({ time: at(5), op: "SecretGet", uri: secret, ip: "198.51.100.7", oid: PUBLIC_USER }), AddressAuthorizationType: "Public IP" },
  // A row that says nothing about its path (older logs): the path stays unknown, never guessed.
  auditRow({ time: at(6), op: "SecretGet", uri: secret, ip: "10.40.0.2", oid: OLD_LOG_USER }),
  // One public request among VNet ones: ip rules cut that request, so the caller counts as public.
  { ...auditRow({ time: at(7), op: "SecretGet", uri: secret, ip: "10.20.0.8", oid: MIXED_USER }), AddressAuthorizationType: "subnet", SubnetId: SUBNET },
  { ...auditRow({ time: at(8), op: "SecretGet", uri: secret, ip: "10.20.0.8", oid: MIXED_USER }), AddressAuthorizationType: "PublicIP" },
];

/** The same fields under their AzureDiagnostics names. */
const diagnostics = [
  { ...diagnosticsRow({ time: at(9), op: "SecretGet", uri: secret, ip: "10.20.1.5", oid: DIAG_VNET }), addrAuthType_s: "Subnet", subnetId_s: SUBNET },
  { ...diagnosticsRow({ time: at(10), op: "SecretGet", uri: secret, ip: "10.30.1.9", oid: DIAG_PE }), privateEndpointId_s: PRIVATE_ENDPOINT },
];

const azure = useFakeAzure({ seed: seed({ audit, diagnostics }) });

function options(tables: MeasureImpactOptions["tables"]): MeasureImpactOptions {
  const retryOptions = { maxRetries: 0, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
  return {
    client: new LogsQueryClient(azure.credential, { retryOptions }),
    diagnosticSettings: new MonitorClient(azure.credential, subscriptionId, { retryOptions }),
    now: new Date("2026-01-15T12:00:00Z"),
    ...(tables === undefined ? {} : { tables }),
  };
}

const byObjectId = (callers: readonly ImpactCaller[], oid: string) => callers.find((caller) => caller.objectId === oid);

describe("callers[].via from the logs' network fields (issue 13, item 4)", () => {
  it("reads AZKVAuditLogs' AddressAuthorizationType / SubnetId / TrustedService through the real LogsQueryClient", async () => {
    const report = await measureImpact(torAlert({ source: { ipAddress: "185.220.101.7", objectId: attackerOid } }), options(["AZKVAuditLogs"]));
    const callers = report.callers;
    expect(byObjectId(callers, VNET_APP)).toMatchObject({ suspicious: false, ipAddress: "10.20.0.5", via: "virtual-network" });
    expect(byObjectId(callers, PE_APP)).toMatchObject({ suspicious: false, ipAddress: "10.30.0.9", via: "private-endpoint" });
    expect(byObjectId(callers, BACKUP)).toMatchObject({ suspicious: false, ipAddress: "52.174.1.9", via: "trusted-service" });
    expect(byObjectId(callers, PUBLIC_USER)).toMatchObject({ suspicious: false, via: "public" });
    expect(byObjectId(callers, MIXED_USER)).toMatchObject({ via: "public", count: 2 });
    expect(byObjectId(callers, OLD_LOG_USER)).toBeDefined();
    expect(byObjectId(callers, OLD_LOG_USER)?.via).toBeUndefined();
    // The census covers the suspicious caller too; its row says nothing about the path, so none is claimed.
    expect(byObjectId(callers, attackerOid)).toMatchObject({ suspicious: true });
    expect(byObjectId(callers, attackerOid)?.via).toBeUndefined();
  });

  it("reads AzureDiagnostics' addrAuthType_s / subnetId_s / privateEndpointId_s", async () => {
    const report = await measureImpact(torAlert({ source: { ipAddress: "185.220.101.7", objectId: attackerOid } }), options(["AzureDiagnostics"]));
    expect(byObjectId(report.callers, DIAG_VNET)).toMatchObject({ via: "virtual-network" });
    expect(byObjectId(report.callers, DIAG_PE)).toMatchObject({ via: "private-endpoint" });
  });
});
