import { describe, expect, it } from "vitest";
import { useFakeAzure } from "@keywarden/testing/vitest";
import {
  ArmPublicIpReader,
  ArmVaultInspector,
  AzureNetworkIntelligence,
  createLookupCache,
  formatTriageReport,
  GraphDirectory,
  InMemoryPublicIpReader,
  triageAlert,
  type TriageContext,
  type TriageReport,
} from "../src/index.js";
import { buildAlert, SUBSCRIPTION } from "./support/build-alert.js";
import { providerSeed, USER_ID } from "./support/fake-tenant-seed.js";
import { TENANT, torFixture } from "./support/table-world.js";

const retryOptions = { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
const NAT_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-network/providers/Microsoft.Network/publicIPAddresses/pip-nat-egress`;
const TOR_PIP_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-network/providers/Microsoft.Network/publicIPAddresses/pip-relay`;

/** 120 public IPs (more than one ARM page of 100); the tenant's NAT egress (an Azure address) is on the second page. */
function seedWithPublicIps(): ReturnType<typeof providerSeed> {
  const seed = providerSeed();
  const filler = Array.from({ length: 118 }, (_, i) => ({
    id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-network/providers/Microsoft.Network/publicIPAddresses/pip-${String(i).padStart(3, "0")}`,
    name: `pip-${String(i).padStart(3, "0")}`,
    type: "Microsoft.Network/publicIPAddresses",
    location: "westeurope",
    properties: { ipAddress: `192.0.2.${i + 1}` },
  }));
  seed.resourceGroups = [...(seed.resourceGroups ?? []), { id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-network`, name: "rg-network", location: "westeurope" }];
  seed.publicIpAddresses = [
    ...filler,
    { id: TOR_PIP_ID, name: "pip-relay", type: "Microsoft.Network/publicIPAddresses", location: "westeurope", properties: { ipAddress: "101.99.92.179" } },
    { id: NAT_ID, name: "pip-nat-egress", type: "Microsoft.Network/publicIPAddresses", location: "westeurope", properties: { ipAddress: "20.50.1.2" } },
  ];
  return seed;
}

const azure = useFakeAzure({ seed: seedWithPublicIps() });

function context(overrides: Partial<TriageContext> = {}): TriageContext {
  return {
    tenantId: TENANT,
    tenantAddressSpace: ["203.0.113.0/24"],
    directory: new GraphDirectory(azure.credential, { retryOptions }),
    vaults: new ArmVaultInspector(azure.credential, { retryOptions }),
    network: new AzureNetworkIntelligence(azure.credential, { subscriptionId: SUBSCRIPTION, torExitList: { text: torFixture }, retryOptions }),
    publicIps: new ArmPublicIpReader(azure.credential, { retryOptions }),
    now: () => azure.clock.date(),
    ...overrides,
  };
}

const secretReads = [{ operation: "SecretGet", count: 3 }];
const kinds = (report: TriageReport) => [...new Set(report.decision.recommendedActions.map((a) => a.kind))].sort();
const publicIpCalls = () => azure.calls.filter({ url: /\/providers\/Microsoft\.Network\/publicIPAddresses/i });

describe("the tenant's public IPs (Microsoft.Network/publicIPAddresses) are declared address space", () => {
  it("an Azure address that is the tenant's own public IP is inside evidence, with the public IP named", async () => {
    const report = await triageAlert(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "20.50.1.2", objectId: USER_ID, operations: secretReads }), context());
    expect(report.source.ip.azure?.serviceTag).toBe("AzureCloud.westeurope");
    expect(report.source.ip.tenantPublicIp).toEqual({ name: "pip-nat-egress", resourceId: NAT_ID });
    expect(report.source.origin).toBe("inside-tenant");
    expect(report.source.originEvidence).toContainEqual(
      expect.objectContaining({ code: "ip.tenant-public-ip", points: "inside-tenant", message: `20.50.1.2 is tenant public IP pip-nat-egress (${NAT_ID}).` }),
    );
    expect(report.source.originEvidence.map((e) => e.code)).not.toContain("ip.azure-hosted");
    expect(formatTriageReport(report)).toContain(`tenant public IP pip-nat-egress (${NAT_ID})`);
    // The list was paged (100 a page): both pages were read, with the api-version.
    const calls = publicIpCalls();
    expect(calls.map((c) => c.status)).toEqual([200, 200]);
    expect(calls.every((c) => c.url.includes("api-version=2023-11-01"))).toBe(true);
  });

  it("the same Azure address when the tenant does not own it stays outside evidence: the strict path", async () => {
    // Mutates the live state (restored after the test); `azure.reset(seed)` would replace the seed for later tests.
    expect(azure.context.state.publicIpAddresses.delete(NAT_ID)).toBe(true);
    const report = await triageAlert(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "20.50.1.2", objectId: USER_ID, operations: secretReads }), context());
    expect(report.source.ip.tenantPublicIp).toBeUndefined();
    expect(report.source.origin).toBe("outside-tenant");
    expect(report.source.originEvidence).toContainEqual(expect.objectContaining({ code: "ip.azure-hosted", points: "outside-tenant" }));
    expect(kinds(report)).toEqual(expect.arrayContaining(["rotate-secrets", "disable-secrets", "revoke-sessions"]));
  });

  it("a Tor-listed address that is a tenant public IP is a named conflict, never lenient", async () => {
    const report = await triageAlert(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "101.99.92.179", objectId: USER_ID, operations: secretReads }), context());
    expect(report.source.ip.tenantPublicIp?.name).toBe("pip-relay");
    expect(report.source.origin).toBe("outside-tenant");
    expect(report.source.originConflicts).toContainEqual(
      expect.objectContaining({ code: "conflict.evidence", data: { outside: "ip.tor-exit-node", inside: "ip.tenant-public-ip" } }),
    );
    expect(kinds(report)).toEqual(expect.arrayContaining(["rotate-secrets", "disable-secrets", "revoke-sessions"]));
  });

  it("a Threat Intelligence flag on a tenant public IP still wins", async () => {
    const report = await triageAlert(buildAlert({ kind: "KV_SuspiciousIPAccess", ipAddress: "20.50.1.2", objectId: USER_ID, operations: secretReads }), context());
    expect(report.source.origin).toBe("outside-tenant");
    expect(report.source.originConflicts).toContainEqual(expect.objectContaining({ data: { outside: "alert.flagged-ip", inside: "ip.tenant-public-ip" } }));
  });

  it("a burst of alerts reads each subscription's list once (shared run cache)", async () => {
    const shared = context({ cache: createLookupCache() });
    for (const ipAddress of ["20.50.1.2", "20.50.1.3", "198.51.100.23"]) {
      await triageAlert(buildAlert({ kind: "KV_UserAnomaly", ipAddress, objectId: USER_ID }), shared);
    }
    expect(publicIpCalls()).toHaveLength(2); // one listing, two pages
  });

  it("a failed listing is missing evidence and the Azure address stays outside", async () => {
    azure.faults.inject({ url: /publicIPAddresses/i, status: 403, times: 1, body: { error: { code: "AuthorizationFailed", message: "The client does not have authorization to perform action Microsoft.Network/publicIPAddresses/read." } } });
    const report = await triageAlert(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "20.50.1.2", objectId: USER_ID, operations: secretReads }), context());
    expect(report.source.missingEvidence).toContainEqual(expect.objectContaining({ evidence: "ip.tenant-public-ip", source: "network" }));
    expect(report.source.origin).toBe("outside-tenant");
  });

  it("the in-memory reader serves the same decision offline", async () => {
    const publicIps = new InMemoryPublicIpReader({ publicIps: [{ resourceId: NAT_ID, name: "pip-nat-egress", ipAddress: "20.50.1.2" }] });
    const report = await triageAlert(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "20.50.1.2", objectId: USER_ID }), context({ publicIps }));
    expect(report.source.ip.tenantPublicIp).toEqual({ name: "pip-nat-egress", resourceId: NAT_ID });
    expect(report.source.origin).toBe("inside-tenant");
    expect(publicIpCalls()).toHaveLength(0);
  });
});
