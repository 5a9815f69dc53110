import { describe, expect, it } from "vitest";
import { useFakeAzure } from "@keywarden/testing/vitest";
import {
  ArmVaultInspector,
  AzureNetworkIntelligence,
  GraphDirectory,
  TriageErrorCodes,
  TriageLookupError,
  createLookupCache,
  identifySource,
  triageAlert,
  triageAlerts,
  type TriageContext,
} from "../src/index.js";
import { buildAlert, SUBSCRIPTION } from "./support/build-alert.js";
import { APP_ID_OBJECT, FOREIGN_APP_OBJECT, OWNER_ID, providerSeed, RBAC_VAULT, USER_ID } from "./support/fake-tenant-seed.js";
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

const secretGet = [{ operation: "SecretGet", count: 3 }];

describe("Azure providers through the fake tenant (real SDK clients)", () => {
  it("identifies an in-tenant user from a Tor exit node, with its entry exactly as stored and its directory roles", async () => {
    const alert = buildAlert({ kind: "KV_TORAccess", ipAddress: "101.99.92.179", objectId: USER_ID, operations: secretGet });
    const source = await identifySource(alert, context());
    expect(source.missingEvidence).toEqual([]);
    expect(source.origin).toBe("outside-tenant");
    expect(source.ip.torExitNode).toBe(true);
    expect(source.ip.vaultFirewall).toMatchObject({ firewallEnabled: false, allowed: true });
    expect(source.principal).toMatchObject({ type: "user", membership: "in-tenant", userPrincipalName: "alice@contoso.example", foundInDirectory: true });
    expect(source.principal.vaultAccess?.accessPolicies).toEqual([
      { tenantId: TENANT, objectId: USER_ID, permissions: { secrets: ["Get", "List"], keys: ["Get", "UnwrapKey"] } },
    ]);
    expect(source.principal.directoryRoles.map((role) => [role.roleName, role.state, role.privileged])).toEqual([
      ["Application Administrator", "active", true],
      ["Global Administrator", "eligible", true],
    ]);
  });

  it("proposes exact-casing containment and a firewall that keeps the existing rule", async () => {
    const alert = buildAlert({ kind: "KV_TORAccess", ipAddress: "101.99.92.179", objectId: USER_ID, operations: secretGet });
    const report = await triageAlert(alert, context());
    const restrict = report.decision.recommendedActions.find((a) => a.kind === "restrict-permissions");
    expect(restrict?.kind === "restrict-permissions" && restrict.parameters.remove).toEqual({ secrets: ["Get"] });
    const firewall = report.decision.recommendedActions.find((a) => a.kind === "enable-firewall");
    expect(firewall?.kind === "enable-firewall" && firewall.parameters).toMatchObject({
      keepIpRules: ["198.51.100.7/32"],
      addIpRules: ["203.0.113.0/24"],
      blockedAddress: "101.99.92.179",
      basedOnVaultState: true,
    });
    expect(report.decision.recommendedActions.map((a) => a.kind)).toEqual(
      expect.arrayContaining(["contact-owner", "escalate-to-admin", "revoke-sessions", "rotate-secrets", "disable-secrets"]),
    );
  });

  it("finds an application's owners and tells an in-tenant app from a foreign one", async () => {
    const own = await identifySource(buildAlert({ kind: "KV_AppAnomaly", ipAddress: "203.0.113.9", objectId: APP_ID_OBJECT }), context());
    expect(own.principal).toMatchObject({ type: "service-principal", membership: "in-tenant", displayName: "payments-api" });
    expect(own.principal.owners.map((o) => o.objectId)).toEqual([OWNER_ID]);
    expect(own.origin).toBe("inside-tenant");
    const foreign = await identifySource(buildAlert({ kind: "KV_AppAnomaly", ipAddress: "20.50.1.1", objectId: FOREIGN_APP_OBJECT }), context());
    expect(foreign.principal.membership).toBe("foreign");
    expect(foreign.ip.azure?.serviceTag).toBe("AzureCloud.westeurope");
    expect(foreign.origin).toBe("outside-tenant");
  });

  it("reads role assignments at and above an RBAC vault, marking direct and inherited", async () => {
    const alert = buildAlert({ kind: "KV_AppAnomaly", vaultName: "kv-rbac", ipAddress: "198.51.100.99", objectId: FOREIGN_APP_OBJECT, operations: secretGet });
    const report = await triageAlert(alert, context());
    const access = report.source.principal.vaultAccess;
    expect(access?.authorization).toBe("rbac");
    expect(access?.roleAssignments.map((r) => [r.roleName, r.inheritance]).sort()).toEqual([
      ["Key Vault Secrets User", "direct"],
      ["Reader", "inherited"],
    ]);
    const removal = report.decision.recommendedActions.find((a) => a.kind === "remove-role-assignments");
    expect(removal?.kind === "remove-role-assignments" && removal.parameters.assignments.map((r) => r.scope)).toEqual([RBAC_VAULT]);
    expect(removal?.kind === "remove-role-assignments" && removal.parameters.reportOnly.map((r) => r.scope)).toEqual([`/subscriptions/${SUBSCRIPTION}`]);
    expect(report.decision.recommendedActions.map((a) => a.kind)).not.toContain("remove-access-policy");
  });

  describe("provider failures", () => {
    it("Graph 403: the report names the missing directory evidence, attaches the error and does not guess", async () => {
      azure.faults.inject({ url: "https://graph.microsoft.com/v1.0/directoryObjects/*", status: 403, body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } } });
      const alert = buildAlert({ kind: "KV_UserAnomaly", objectId: USER_ID, operations: secretGet });
      const report = await triageAlert(alert, context());
      const missing = report.source.missingEvidence.find((m) => m.evidence === "principal.directory-entry");
      expect(missing?.code).toBe(TriageErrorCodes.ProviderFailed);
      expect(missing?.error).toMatchObject({ status: 403, code: "Authorization_RequestDenied" });
      expect(report.source.principal.membership).toBe("unknown");
      expect(report.source.origin).toBe("unknown");
      expect(report.findings.map((f) => f.ruleId)).toContain("kv/origin-unknown");
      expect(report.decision.recommendedActions.map((a) => a.kind)).toContain("contact-owner");
    });

    it("Graph 403 in strict mode rejects with a coded error keeping the RestError as cause", async () => {
      azure.faults.inject({ url: "https://graph.microsoft.com/v1.0/directoryObjects/*", status: 403 });
      const alert = buildAlert({ kind: "KV_UserAnomaly", objectId: USER_ID });
      const error: unknown = await triageAlert(alert, context({ strict: true })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TriageLookupError);
      expect((error as TriageLookupError).code).toBe(TriageErrorCodes.LookupFailed);
      expect(((error as TriageLookupError).cause as { statusCode?: number }).statusCode).toBe(403);
    });

    it("vault 404: the vault evidence is missing, the firewall action says it is not based on the vault's state", async () => {
      const alert = buildAlert({ kind: "KV_TORAccess", vaultName: "kv-deleted", ipAddress: "101.99.92.179", operations: secretGet });
      const report = await triageAlert(alert, context());
      const missing = report.source.missingEvidence.find((m) => m.evidence === "vault.configuration");
      expect(missing?.error?.status).toBe(404);
      expect(report.source.ip.vaultFirewall).toBeUndefined();
      const firewall = report.decision.recommendedActions.find((a) => a.kind === "enable-firewall");
      expect(firewall?.kind === "enable-firewall" && firewall.parameters.basedOnVaultState).toBe(false);
      expect(report.source.origin).toBe("outside-tenant");
    });

    it("429 then success: retried with Retry-After, no evidence missing", async () => {
      azure.faults.inject({ url: "https://graph.microsoft.com/v1.0/directoryObjects/*", status: 429, headers: { "retry-after": "0" }, times: 1 });
      azure.faults.inject({ url: /Microsoft\.KeyVault\/vaults\/kv-payments/i, method: "GET", status: 429, headers: { "retry-after": "0" }, times: 1 });
      const alert = buildAlert({ kind: "KV_UserAnomaly", ipAddress: "203.0.113.4", objectId: USER_ID });
      const report = await triageAlert(alert, context());
      expect(report.source.missingEvidence).toEqual([]);
      expect(report.source.principal.membership).toBe("in-tenant");
      // The directory lookups went out as one Graph batch; its throttled item was retried on its own after Retry-After.
      // (Lookups started in the same tick share a batch; a loaded machine may split them over two.)
      const batches = azure.calls.filter({ url: /\/v1\.0\/\$batch$/ }).map((c) => c.status);
      expect(batches.length).toBeGreaterThanOrEqual(1);
      expect(batches.length).toBeLessThanOrEqual(2);
      expect(batches.every((status) => status === 200)).toBe(true);
      expect(azure.calls.filter({ url: "/directoryObjects/" }).map((c) => c.status)).toEqual([200]);
      expect(azure.calls.filter({ url: /vaults\/kv-payments\?/i }).map((c) => c.status)).toEqual([429, 200]);
    });
  });

  it("classifies a custom role from its definition (read through arm-authorization)", async () => {
    const seed = providerSeed();
    const custom = "7e57c0de-0000-4000-8000-00000000c0de";
    seed.roleDefinitions = [
      {
        id: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${custom}`,
        name: custom,
        type: "Microsoft.Authorization/roleDefinitions",
        properties: {
          roleName: "Payments secret reader",
          type: "CustomRole",
          permissions: [{ actions: ["Microsoft.KeyVault/vaults/read"], dataActions: ["Microsoft.KeyVault/vaults/secrets/*"] }],
          assignableScopes: [`/subscriptions/${SUBSCRIPTION}`],
        },
      },
    ];
    seed.roleAssignments = [
      {
        id: `${RBAC_VAULT}/providers/Microsoft.Authorization/roleAssignments/22222222-0000-4000-8000-000000000001`,
        name: "22222222-0000-4000-8000-000000000001",
        type: "Microsoft.Authorization/roleAssignments",
        properties: {
          scope: RBAC_VAULT,
          roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${custom}`,
          principalId: APP_ID_OBJECT,
          principalType: "ServicePrincipal",
        },
      },
    ];
    azure.reset(seed);
    const alert = buildAlert({ kind: "KV_AppAnomaly", vaultName: "kv-rbac", ipAddress: "203.0.113.5", objectId: APP_ID_OBJECT, operations: secretGet });
    const report = await triageAlert(alert, context());
    const [assignment] = report.source.principal.vaultAccess?.roleAssignments ?? [];
    expect(assignment).toMatchObject({ roleName: "Payments secret reader", plane: "both", readsSecrets: true, changesAccess: false, inheritance: "direct" });
    expect(report.source.principal.vaultAccess?.canReadSecrets).toBe(true);
    expect(report.decision.recommendedActions.map((a) => a.kind)).toContain("remove-role-assignments");
  });

  it("without a Tor list, Tor is named as not configured rather than failed", async () => {
    const network = new AzureNetworkIntelligence(azure.credential, { subscriptionId: SUBSCRIPTION, retryOptions });
    const source = await identifySource(buildAlert({ kind: "KV_UserAnomaly", ipAddress: "198.51.100.23", objectId: USER_ID }), context({ network }));
    expect(source.missingEvidence).toEqual([expect.objectContaining({ code: "KW_TRIAGE_W0003", evidence: "ip.tor-exit-node" })]);
    expect(source.ip.torExitNode).toBeUndefined();
  });

  it("honours abortSignal: an aborted triage rejects instead of reporting missing evidence", async () => {
    const controller = new AbortController();
    const alert = buildAlert({ kind: "KV_UserAnomaly", ipAddress: "198.51.100.23", objectId: USER_ID });
    azure.faults.inject({ url: /^https:\/\/graph\.microsoft\.com\/v1\.0\/(directoryObjects\/|\$batch)/, delayInMs: 200 });
    const pending = triageAlert(alert, context({ abortSignal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    controller.abort();
    await expect(triageAlert(alert, context({ abortSignal: controller.signal }))).rejects.toMatchObject({ name: "AbortError" });
  });

  it("caches lookups per run: a burst about one vault and one principal reads each once", async () => {
    const alerts = Array.from({ length: 12 }, (_, index) =>
      buildAlert({ kind: index % 2 === 0 ? "KV_UserAnomaly" : "KV_ListGetAnomaly", ipAddress: "198.51.100.23", objectId: USER_ID }),
    );
    const cache = createLookupCache();
    const reports = await triageAlerts(alerts, context({ cache }));
    expect(reports).toHaveLength(12);
    expect(azure.calls.count({ url: /vaults\/kv-payments\?/i })).toBe(1);
    // The principal's object and its active and eligible roles: one Graph batch for the whole burst (then the
    // eligible role's definition, read once).
    expect(azure.calls.count({ url: /\/v1\.0\/\$batch$/ })).toBe(1);
    expect(azure.calls.count({ url: "/directoryObjects/" })).toBe(0);
    expect(azure.calls.count({ url: /graph\.microsoft\.com/ })).toBe(2);
    expect(azure.calls.count({ url: /serviceTags/i })).toBe(1);
  });
});
