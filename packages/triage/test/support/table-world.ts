import { readFileSync } from "node:fs";
import {
  InMemoryDirectory,
  InMemoryNetworkIntelligence,
  InMemoryVaultInspector,
  type DirectoryObject,
  type RawRoleAssignment,
  type TriageContext,
  type VaultDescription,
} from "../../src/index.js";
import { SUBSCRIPTION } from "./build-alert.js";

export const TENANT = "72c4a1d0-5b0e-4c8e-9d3a-0a1b2c3d4e5f";
export const OTHER_TENANT = "9a8b7c6d-0000-4e4e-8f8f-123456789abc";
export const MICROSOFT_SERVICES_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

const fixtures = new URL("../../src/__fixtures__/", import.meta.url);
export const serviceTagsFixture: unknown = JSON.parse(readFileSync(new URL("service-tags.api-example.json", fixtures), "utf8"));
export const torFixture = readFileSync(new URL("tor-exit-nodes.sample.lst", fixtures), "utf8");

/** Source addresses for each IP situation of the decision table. */
export const IPS: Record<string, string | undefined> = {
  foreign: "198.51.100.23",
  tor: "101.99.92.179",
  "tor-ipv6": "2001:470:1:908::9001",
  azure: "40.74.146.80",
  "tenant-firewall": "203.0.113.10",
  private: "10.20.30.40",
  "allow-listed": "192.0.2.50",
  none: undefined,
};

export const PRINCIPALS: Record<string, DirectoryObject & { inDirectory: boolean }> = {
  "member-user": { inDirectory: true, objectId: "a1a1a1a1-0000-4000-8000-000000000001", type: "user", displayName: "Alice Admin", userPrincipalName: "alice@contoso.example", userType: "Member", accountEnabled: true },
  "tenant-app": { inDirectory: true, objectId: "a1a1a1a1-0000-4000-8000-000000000002", type: "service-principal", displayName: "payments-api", appId: "b2b2b2b2-0000-4000-8000-000000000002", appOwnerOrganizationId: TENANT, servicePrincipalType: "Application" },
  "managed-identity": { inDirectory: true, objectId: "a1a1a1a1-0000-4000-8000-000000000003", type: "managed-identity", displayName: "payments-vm", appId: "b2b2b2b2-0000-4000-8000-000000000003", servicePrincipalType: "ManagedIdentity" },
  "first-party-app": { inDirectory: true, objectId: "a1a1a1a1-0000-4000-8000-000000000004", type: "service-principal", displayName: "Azure Resource Graph", appId: "509e4652-da8d-478d-a730-e9d4a1996ca4", appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT, servicePrincipalType: "Application" },
  "foreign-app": { inDirectory: true, objectId: "a1a1a1a1-0000-4000-8000-000000000005", type: "service-principal", displayName: "partner-sync", appId: "b2b2b2b2-0000-4000-8000-000000000005", appOwnerOrganizationId: OTHER_TENANT, servicePrincipalType: "Application" },
  "guest-user": { inDirectory: true, objectId: "a1a1a1a1-0000-4000-8000-000000000006", type: "user", displayName: "Bob Partner", userPrincipalName: "bob_fabrikam.example#EXT#@contoso.onmicrosoft.com", userType: "Guest", accountEnabled: true },
  "role-holder": { inDirectory: true, objectId: "a1a1a1a1-0000-4000-8000-000000000007", type: "user", displayName: "Carol Ops", userPrincipalName: "carol@contoso.example", userType: "Member", accountEnabled: true },
  "not-in-directory": { inDirectory: false, objectId: "a1a1a1a1-0000-4000-8000-000000000008", type: "unknown" },
};

export const OWNER = { objectId: "a1a1a1a1-0000-4000-8000-0000000000ff", type: "user" as const, displayName: "Dana Owner", userPrincipalName: "dana@contoso.example" };

function vaultId(name: string): string {
  return `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-payments/providers/Microsoft.KeyVault/vaults/${name}`;
}

/** Every principal holds an entry as the portal stores it (PascalCase permissions). */
function entries(): VaultDescription["accessPolicies"] {
  return Object.values(PRINCIPALS).map((principal) => ({
    tenantId: TENANT,
    objectId: principal.objectId,
    permissions: { secrets: ["Get", "List"], keys: ["Get"] },
  }));
}

export const VAULTS: Record<string, VaultDescription> = {
  "access-policy": {
    resourceId: vaultId("kv-payments"), name: "kv-payments", tenantId: TENANT, authorization: "access-policy",
    firewall: { enabled: false, defaultAction: "Allow", bypass: "AzureServices", publicNetworkAccess: "Enabled", ipRules: [], virtualNetworkRules: [] },
    accessPolicies: entries(), enablePurgeProtection: true, enableSoftDelete: true,
  },
  "access-policy-firewall": {
    resourceId: vaultId("kv-payments"), name: "kv-payments", tenantId: TENANT, authorization: "access-policy",
    firewall: { enabled: true, defaultAction: "Deny", bypass: "AzureServices", publicNetworkAccess: "Enabled", ipRules: ["203.0.113.0/24"], virtualNetworkRules: [] },
    accessPolicies: entries(), enablePurgeProtection: true, enableSoftDelete: true,
  },
  rbac: {
    resourceId: vaultId("kv-payments"), name: "kv-payments", tenantId: TENANT, authorization: "rbac",
    firewall: { enabled: false, defaultAction: "Allow", bypass: "AzureServices", publicNetworkAccess: "Enabled", ipRules: [], virtualNetworkRules: [] },
    accessPolicies: [], enablePurgeProtection: true, enableSoftDelete: true,
  },
};

/** In RBAC mode every principal holds Key Vault Secrets User on the vault and Reader on the subscription. */
function roleAssignments(): RawRoleAssignment[] {
  return Object.values(PRINCIPALS).flatMap((principal, index) => [
    {
      id: `${vaultId("kv-payments")}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-4000-8000-00000000000${index}`,
      scope: vaultId("kv-payments"),
      roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
      principalId: principal.objectId,
      principalType: "User",
    },
    {
      id: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleAssignments/00000000-0000-4000-9000-00000000000${index}`,
      scope: `/subscriptions/${SUBSCRIPTION}`,
      roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
      principalId: principal.objectId,
      principalType: "User",
    },
  ]);
}

export function tableContext(vault: string): TriageContext {
  const description = VAULTS[vault];
  if (description === undefined) throw new Error(`unknown vault situation ${vault}`);
  return {
    tenantId: TENANT,
    tenantAddressSpace: ["203.0.113.0/24", { range: "10.0.0.0/8", label: "corporate network" }],
    directory: new InMemoryDirectory({
      objects: Object.values(PRINCIPALS).filter((p) => p.inDirectory).map(({ inDirectory: _inDirectory, ...object }) => object),
      owners: { [PRINCIPALS["tenant-app"]!.objectId]: [OWNER] },
      roles: {
        [PRINCIPALS["role-holder"]!.objectId]: [
          { assignmentId: "ra-1", roleDefinitionId: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", roleName: "Application Administrator", state: "active", directoryScopeId: "/", privileged: true },
          { roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10", roleName: "Global Administrator", state: "eligible", directoryScopeId: "/", privileged: true },
        ],
      },
    }),
    vaults: new InMemoryVaultInspector({ vaults: [description], roleAssignments: vault === "rbac" ? roleAssignments() : [] }),
    network: new InMemoryNetworkIntelligence({ serviceTags: serviceTagsFixture, torExitNodes: torFixture }),
    now: () => new Date("2026-11-28T09:00:00Z"),
  };
}
