import type { FakeAzureSeed } from "@keywarden/testing";
import { SUBSCRIPTION } from "./build-alert.js";
import { MICROSOFT_SERVICES_TENANT, OTHER_TENANT, TENANT } from "./table-world.js";

export const USER_ID = "c0c0c0c0-0000-4000-8000-000000000001";
export const APP_ID_OBJECT = "c0c0c0c0-0000-4000-8000-000000000002";
export const FOREIGN_APP_OBJECT = "c0c0c0c0-0000-4000-8000-000000000003";
export const OWNER_ID = "c0c0c0c0-0000-4000-8000-0000000000ff";
export const FIRST_PARTY_OBJECT = "c0c0c0c0-0000-4000-8000-000000000004";

export const AP_VAULT = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-payments/providers/Microsoft.KeyVault/vaults/kv-payments`;
export const RBAC_VAULT = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-payments/providers/Microsoft.KeyVault/vaults/kv-rbac`;

const SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

/** A tenant with an access-policy vault (PascalCase entries, existing firewall rules) and an RBAC vault. */
export function providerSeed(): FakeAzureSeed {
  return {
    tenantId: TENANT,
    time: "2026-11-28T09:00:00Z",
    subscriptions: [{ subscriptionId: SUBSCRIPTION, displayName: "payments" }],
    resourceGroups: [{ id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-payments`, location: "westeurope" }],
    vaults: [
      {
        id: AP_VAULT,
        name: "kv-payments",
        type: "Microsoft.KeyVault/vaults",
        location: "westeurope",
        properties: {
          tenantId: TENANT,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: false,
          enableSoftDelete: true,
          enablePurgeProtection: true,
          publicNetworkAccess: "Enabled",
          networkAcls: {
            defaultAction: "Allow",
            bypass: "AzureServices",
            ipRules: [{ value: "198.51.100.7/32" }],
            virtualNetworkRules: [],
          },
          accessPolicies: [
            { tenantId: TENANT, objectId: USER_ID, permissions: { secrets: ["Get", "List"], keys: ["Get", "UnwrapKey"] } },
            { tenantId: TENANT, objectId: FOREIGN_APP_OBJECT, permissions: { secrets: ["Get"] } },
            { tenantId: TENANT, objectId: APP_ID_OBJECT, permissions: { secrets: ["get", "list", "set"] } },
          ],
        },
      },
      {
        id: RBAC_VAULT,
        name: "kv-rbac",
        type: "Microsoft.KeyVault/vaults",
        location: "westeurope",
        properties: {
          tenantId: TENANT,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          publicNetworkAccess: "Enabled",
          networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules: [{ value: "203.0.113.0/24" }], virtualNetworkRules: [] },
          accessPolicies: [],
        },
      },
    ],
    roleAssignments: [
      {
        id: `${RBAC_VAULT}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-4000-8000-000000000001`,
        name: "11111111-0000-4000-8000-000000000001",
        type: "Microsoft.Authorization/roleAssignments",
        properties: {
          scope: RBAC_VAULT,
          roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${SECRETS_USER}`,
          principalId: FOREIGN_APP_OBJECT,
          principalType: "ServicePrincipal",
        },
      },
      {
        id: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-4000-8000-000000000002`,
        name: "11111111-0000-4000-8000-000000000002",
        type: "Microsoft.Authorization/roleAssignments",
        properties: {
          scope: `/subscriptions/${SUBSCRIPTION}`,
          roleDefinitionId: `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
          principalId: FOREIGN_APP_OBJECT,
          principalType: "ServicePrincipal",
        },
      },
    ],
    directory: {
      users: [
        { id: USER_ID, displayName: "Alice Admin", userPrincipalName: "alice@contoso.example", userType: "Member", accountEnabled: true },
        { id: OWNER_ID, displayName: "Dana Owner", userPrincipalName: "dana@contoso.example", userType: "Member", accountEnabled: true },
      ],
      servicePrincipals: [
        { id: APP_ID_OBJECT, appId: "d0d0d0d0-0000-4000-8000-000000000002", displayName: "payments-api", appOwnerOrganizationId: TENANT, servicePrincipalType: "Application" },
        { id: FOREIGN_APP_OBJECT, appId: "d0d0d0d0-0000-4000-8000-000000000003", displayName: "partner-sync", appOwnerOrganizationId: OTHER_TENANT, servicePrincipalType: "Application" },
        { id: FIRST_PARTY_OBJECT, appId: "509e4652-da8d-478d-a730-e9d4a1996ca4", displayName: "Azure Resource Graph", appOwnerOrganizationId: MICROSOFT_SERVICES_TENANT, servicePrincipalType: "Application" },
      ],
      owners: [{ objectId: APP_ID_OBJECT, ownerIds: [OWNER_ID] }],
      roleAssignments: [
        { id: "dra-1", principalId: USER_ID, roleDefinitionId: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", directoryScopeId: "/" },
      ],
      roleEligibilityScheduleInstances: [
        { id: "dre-1", principalId: USER_ID, roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10", directoryScopeId: "/", memberType: "Direct" },
      ],
    },
  };
}
