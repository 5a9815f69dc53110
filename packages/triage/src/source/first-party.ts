import { sharedClientAppName } from "@keywarden/core";

/**
 * Microsoft's own tenants: a service principal whose application is owned by one of them is a Microsoft
 * first-party application (Graph `appOwnerOrganizationId`).
 */
const MICROSOFT_TENANTS = new Set([
  "f8cdef31-a31e-4b4a-93e4-5f571e91255a", // Microsoft Services
  "72f988bf-86f1-41af-91ab-2d7cd011db47", // Microsoft (corporate)
]);

/**
 * First-party application ids that commonly touch vaults, so an app id can be recognised when the directory
 * cannot be asked. Azure Resource Graph and Policy Insights read vault metadata on the tenant's behalf. Client apps
 * that people sign in with (Azure CLI, PowerShell, the portal) are deliberately absent: there the actor is a user.
 */
const KNOWN_FIRST_PARTY_APPS: Record<string, string> = {
  "509e4652-da8d-478d-a730-e9d4a1996ca4": "Azure Resource Graph",
  "1d78a85d-813d-46f0-b496-dd72f50a3ec0": "Policy Insights",
  "cfa8b339-82a2-471a-a3c9-0fc0be7a4093": "Azure Key Vault",
};

export function isMicrosoftTenant(tenantId: string | undefined): boolean {
  return tenantId !== undefined && MICROSOFT_TENANTS.has(tenantId.toLowerCase());
}

export function knownFirstPartyAppName(appId: string | undefined): string | undefined {
  return appId === undefined ? undefined : ownValue(KNOWN_FIRST_PARTY_APPS, appId.toLowerCase());
}

/** Client applications people sign in with (the shared catalog in core): named for readers, never a service acting on its own. */
export function knownClientAppName(appId: string | undefined): string | undefined {
  return sharedClientAppName(appId);
}

/** Own keys only: an app id such as `constructor` must not find Object.prototype members. */
function ownValue(table: Record<string, string>, key: string): string | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
