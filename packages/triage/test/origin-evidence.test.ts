import { describe, expect, it } from "vitest";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { ArmVaultInspector, AzureNetworkIntelligence, GraphDirectory, triageAlert, type TriageContext, type TriageReport } from "../src/index.js";
import { buildAlert, SUBSCRIPTION } from "./support/build-alert.js";
import { AP_VAULT, providerSeed, USER_ID } from "./support/fake-tenant-seed.js";
import { TENANT, torFixture } from "./support/table-world.js";

const retryOptions = { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 };
const azure = useFakeAzure({ seed: providerSeed() });

function context(overrides: Partial<TriageContext> = {}): TriageContext {
  return {
    tenantId: TENANT,
    tenantAddressSpace: ["203.0.113.0/24"],
    directory: new GraphDirectory(azure.credential, { retryOptions }),
    vaults: new ArmVaultInspector(azure.credential, { retryOptions }),
    network: new AzureNetworkIntelligence(azure.credential, { subscriptionId: SUBSCRIPTION, torExitList: { text: torFixture }, retryOptions }),
    now: () => azure.clock.date(),
    ...overrides,
  };
}

const secretReads = [{ operation: "SecretGet", count: 3 }];
const kinds = (report: TriageReport) => [...new Set(report.decision.recommendedActions.map((a) => a.kind))].sort();

/** A vault firewall that admits a whole /8, as some tenants write "our provider's range". */
function seedWithBroadFirewallRule(): ReturnType<typeof providerSeed> {
  const seed = providerSeed();
  const vault = seed.vaults?.find((v) => v.id === AP_VAULT);
  if (vault === undefined) throw new Error("seed changed: no access-policy vault");
  (vault.properties as { networkAcls: unknown }).networkAcls = {
    defaultAction: "Deny",
    bypass: "AzureServices",
    ipRules: [{ value: "198.0.0.0/8" }],
    virtualNetworkRules: [],
  };
  return seed;
}

describe("origin from evidence (issue 13): an Azure address is as suspicious as any public address", () => {
  it("the same member user and alert from an Azure address (20.50.1.2) gets the same strict path as from a non-Azure one", async () => {
    const fromInternet = await triageAlert(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "198.51.100.23", objectId: USER_ID, operations: secretReads }), context());
    const fromAzure = await triageAlert(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "20.50.1.2", objectId: USER_ID, operations: secretReads }), context());
    expect(fromAzure.source.ip.azure?.serviceTag).toBe("AzureCloud.westeurope");
    expect(fromAzure.source.principal.membership).toBe("in-tenant");
    expect(fromInternet.source.origin).toBe("outside-tenant");
    expect(fromAzure.source.origin).toBe("outside-tenant");
    expect(fromAzure.source.originEvidence).toContainEqual(expect.objectContaining({ code: "ip.azure-hosted", points: "outside-tenant" }));
    expect(kinds(fromAzure)).toEqual(kinds(fromInternet));
    expect(kinds(fromAzure)).toEqual(expect.arrayContaining(["rotate-secrets", "disable-secrets", "revoke-sessions", "enable-firewall", "restrict-permissions"]));
    expect(fromAzure.findings.map((f) => f.id)).not.toContain("kv/secrets-exposed/deferred");
  });

  it("an Azure address in the tenant's declared address space is inside evidence", async () => {
    const source = (await triageAlert(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "20.50.1.2", objectId: USER_ID, operations: secretReads }), context({ tenantAddressSpace: [{ range: "20.50.1.0/24", label: "our NAT gateway" }] }))).source;
    expect(source.origin).toBe("inside-tenant");
    expect(source.originEvidence.map((e) => e.code)).not.toContain("ip.azure-hosted");
  });

  it("a Threat Intelligence flag is kept when a broad (/8) firewall rule matches the address; the match is not inside evidence", async () => {
    azure.reset(seedWithBroadFirewallRule());
    const report = await triageAlert(buildAlert({ kind: "KV_SuspiciousIPAccess", ipAddress: "198.51.100.23", objectId: USER_ID, operations: secretReads }), context());
    expect(report.source.ip.vaultFirewall).toMatchObject({ firewallEnabled: true, allowed: true, matchedRule: "198.0.0.0/8" });
    expect(report.source.originEvidence).toContainEqual(expect.objectContaining({ code: "alert.flagged-ip", points: "outside-tenant" }));
    expect(report.source.originEvidence).toContainEqual(expect.objectContaining({ code: "ip.allowed-by-firewall", points: "unknown" }));
    expect(report.source.origin).toBe("outside-tenant");
    expect(kinds(report)).toEqual(expect.arrayContaining(["rotate-secrets", "disable-secrets", "revoke-sessions"]));
  });

  it("a firewall match alone never makes a stranger inside: with the tenant's ranges configured, it is outside", async () => {
    azure.reset(seedWithBroadFirewallRule());
    const report = await triageAlert(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "198.51.100.23", objectId: USER_ID, operations: secretReads }), context());
    expect(report.source.origin).toBe("outside-tenant");
    expect(kinds(report)).toContain("rotate-secrets");
  });
});

describe("inconsistent evidence never yields a lenient verdict; the report names the conflict", () => {
  it("a Tor exit node inside the tenant's configured ranges", async () => {
    const report = await triageAlert(
      buildAlert({ kind: "KV_UserAnomaly", ipAddress: "101.99.92.179", objectId: USER_ID, operations: secretReads }),
      context({ tenantAddressSpace: ["203.0.113.0/24", "101.99.92.0/24"] }),
    );
    expect(report.source.origin).toBe("outside-tenant");
    expect(report.source.originConflicts).toContainEqual(
      expect.objectContaining({ code: "conflict.evidence", data: { outside: "ip.tor-exit-node", inside: "ip.tenant-address-space" } }),
    );
    expect(kinds(report)).toEqual(expect.arrayContaining(["rotate-secrets", "disable-secrets", "revoke-sessions"]));
  });

  it("a member object id with a UPN of another tenant", async () => {
    const report = await triageAlert(
      buildAlert({ kind: "KV_UserAnomaly", ipAddress: "203.0.113.9", objectId: USER_ID, userPrincipalName: "mallory@fabrikam.example", operations: secretReads }),
      context(),
    );
    expect(report.source.principal.userPrincipalName).toBe("alice@contoso.example");
    expect(report.source.origin).toBe("outside-tenant");
    expect(report.source.originConflicts).toContainEqual(
      expect.objectContaining({ data: { outside: "principal.upn-mismatch", inside: "principal.member-user" } }),
    );
    expect(kinds(report)).toEqual(expect.arrayContaining(["rotate-secrets", "disable-secrets"]));
  });

  it("consistent evidence reports no conflict", async () => {
    const report = await triageAlert(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "203.0.113.9", objectId: USER_ID, userPrincipalName: "ALICE@contoso.example" }), context());
    expect(report.source.origin).toBe("inside-tenant");
    expect(report.source.originConflicts).toBeUndefined();
  });
});
