import type { KeyVaultAlertKind } from "@keywarden/alerts";
import type { AccessPolicyEntry, PermissionSet, PrincipalType, VaultAuthorization } from "@keywarden/core";

/** Shared with every package through `@keywarden/core`. */
export type { AccessPolicyEntry, PermissionSet, PrincipalType, VaultAuthorization };

/**
 * Step 1 of Microsoft's guidance, as data: where did the traffic come from, who made it, and what may that principal
 * do on the vault today. Everything here is JSON-serialisable. A field that is absent means "not known"; the reason
 * it is not known is in `missingEvidence`.
 */
export interface SourceReport {
  alertId: string;
  systemAlertId: string;
  alertKind: KeyVaultAlertKind | "unknown";
  simulated: boolean;
  /** Whether the access the alert describes succeeded, was denied, or the alert does not say. */
  accessOutcome: AccessOutcome;
  vault: VaultReport;
  ip: IpReport;
  principal: PrincipalReport;
  /** The application the principal used, when the alert names one different from the principal (user-app pairs). */
  application?: PrincipalReport;
  origin: Origin;
  /** The evidence that decided `origin`, strongest first. */
  originEvidence: Evidence[];
  /**
   * Evidence that points both ways (a Tor exit inside the tenant's ranges, a member object id with another
   * tenant's UPN), each named. Present only when there is a conflict; the origin then follows the outside evidence.
   */
  originConflicts?: Evidence[];
  /** Evidence that could not be gathered (no IP in the alert, a provider failed, ...). */
  missingEvidence: MissingEvidence[];
}

/** Did the traffic come from inside the tenant? Unknown when the evidence does not decide it. */
export type Origin = "inside-tenant" | "outside-tenant" | "unknown";

export type AccessOutcome = "succeeded" | "denied" | "unknown";

/** One fact that supports a conclusion, in words and as data. */
export interface Evidence {
  /** Stable identifier of the kind of fact, e.g. `ip.tor-exit-node`, `principal.guest-user`. */
  code: string;
  /** Which way this fact points. */
  points: Origin;
  message: string;
  data?: Record<string, string | number | boolean | readonly string[]>;
}

/** The provider areas context comes from. */
export type EvidenceSource = "alert" | "directory" | "vault" | "network";

export interface MissingEvidence {
  /** `KW_TRIAGE_W0001` a provider failed, `W0002` the alert does not carry it, `W0003` no provider configured. */
  code: string;
  /** What could not be established, e.g. `principal.directory-entry`, `vault.firewall`, `ip.service-tag`. */
  evidence: string;
  source: EvidenceSource;
  message: string;
  /** The failure, when a provider failed (absent when the alert simply did not carry the data). */
  error?: SerializedError;
}

/** An error reduced to JSON-safe fields so that reports can be stored and sent to SOAR tools. */
export interface SerializedError {
  name: string;
  code?: string;
  message: string;
  /** HTTP status, when the failure was an HTTP response. */
  status?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Vault

export interface VaultReport {
  /** The vault's ARM resource id as the alert spelled it. */
  resourceId: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  /** The vault's directory (from the vault itself), when inspected. */
  tenantId?: string;
  /** `access-policy` when `enableRbacAuthorization` is false or null (Azure treats null as access policies). */
  authorization?: VaultAuthorization;
  firewall?: FirewallState;
}


/** The vault's network rules as stored (already normalised by Azure: `/32`, lower-cased subnet ids). */
export interface FirewallState {
  /** True when public traffic is filtered: `defaultAction: Deny`, or public network access disabled. */
  enabled: boolean;
  defaultAction: "Allow" | "Deny";
  bypass: "AzureServices" | "None";
  publicNetworkAccess: "Enabled" | "Disabled";
  ipRules: string[];
  virtualNetworkRules: string[];
  /**
   * The vault's private-endpoint connections in state `Approved` (ARM `properties.privateEndpointConnections`):
   * with one, a private caller address reaches the vault over a private endpoint, which no firewall change cuts.
   * Absent when the vault was not read.
   */
  approvedPrivateEndpoints?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// IP

export interface IpReport {
  /** The address as the alert carried it. */
  address?: string;
  status: IpStatus;
  version?: 4 | 6;
  /** RFC 1918 / unique-local / loopback / link-local: traffic over a private endpoint or a peered network. */
  private?: boolean;
  /** Free-text location as Defender reported it. */
  location?: string;
  /** Whether the address is inside the tenant's known address space (configured CIDRs, tenant public IPs). */
  tenantAddressSpace?: AddressMatch;
  /** Whether the vault's current firewall lets this address in. Absent when the vault could not be inspected. */
  vaultFirewall?: FirewallMatch;
  /**
   * A Microsoft/Azure address: the service tag(s) containing it. Reported as "Azure-hosted, could be any Azure
   * customer", never as benign: every Azure VM has such an address.
   */
  azure?: AzureAddress;
  /** True when the address is on the Tor exit list; absent when no list was available. */
  torExitNode?: boolean;
}

export type IpStatus = "valid" | "missing" | "placeholder" | "invalid";

export interface AddressMatch {
  matched: boolean;
  /** The range that matched, as configured. */
  range?: string;
  label?: string;
}

export interface FirewallMatch {
  firewallEnabled: boolean;
  allowed: boolean;
  /** The stored ip rule that allows the address, when one does. */
  matchedRule?: string;
  /** Why the address is allowed or not, in words. */
  explanation: string;
}

export interface AzureAddress {
  /** The most specific service tag, e.g. `AzureCloud.westeurope` or `AzureResourceGraph`. */
  serviceTag: string;
  region?: string;
  systemService?: string;
  prefix: string;
  /** All matching tags, most specific first. */
  allTags: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Principal


/**
 * Where the principal belongs: `in-tenant` (a member user, an application registered in this tenant, a managed
 * identity, a Microsoft first-party service principal), `foreign` (a guest user, an application owned by another
 * organisation, an object id the directory does not know), or `unknown` (no object id, or the lookup failed).
 */
export type PrincipalMembership = "in-tenant" | "foreign" | "unknown";

export interface PrincipalReport {
  objectId?: string;
  /** The tenant the principal authenticates in (the vault's tenant for access-policy entries). */
  tenantId?: string;
  type: PrincipalType;
  membership: PrincipalMembership;
  /** Found in this tenant's directory. Absent when the directory could not be asked. */
  foundInDirectory?: boolean;
  displayName?: string;
  userPrincipalName?: string;
  mail?: string;
  /** `Member` or `Guest` for users. */
  userType?: string;
  accountEnabled?: boolean;
  appId?: string;
  /** For service principals: the tenant that owns the application. */
  appOwnerOrganizationId?: string;
  /** A Microsoft first-party application (e.g. Azure Resource Graph, Policy Insights). */
  microsoftFirstParty: boolean;
  /** The people or apps that own it (service principal owners, a user's manager is not looked up). */
  owners: DirectoryObjectRef[];
  /** Entra directory roles the principal holds, active and eligible. */
  directoryRoles: DirectoryRoleAssignment[];
  /** What the principal may do on this vault today. Absent when the vault could not be inspected. */
  vaultAccess?: VaultAccess;
}

export interface DirectoryObjectRef {
  objectId: string;
  type: PrincipalType;
  displayName?: string;
  userPrincipalName?: string;
  mail?: string;
}

export interface DirectoryRoleAssignment {
  /** The role assignment (or eligibility schedule) id in Entra. */
  assignmentId?: string;
  roleDefinitionId: string;
  /** The role's display name, e.g. `Global Administrator`. */
  roleName: string;
  /** `active` for assignments in force, `eligible` for PIM eligibilities that can be activated. */
  state: "active" | "eligible";
  /** `/` for the whole directory, or an administrative unit / app scope. */
  directoryScopeId: string;
  /** Whether the role is one Microsoft marks as privileged. */
  privileged: boolean;
}

export interface VaultAccess {
  vaultResourceId: string;
  authorization: VaultAuthorization;
  /**
   * Access-policy entries for this principal exactly as stored (permission casing kept: `accessPolicies/remove`
   * matches case-sensitively). Listed in RBAC mode too, where they are inert.
   */
  accessPolicies: AccessPolicyEntry[];
  /** Role assignments for this principal at, above or below the vault scope. */
  roleAssignments: RoleAssignmentRef[];
  /** Whether the principal can read secret values on this vault today, given the authorization mode. */
  canReadSecrets: boolean;
  /**
   * Whether it can change the vault's access (write access policies or role assignments): on an access-policy
   * vault, anyone with `Microsoft.KeyVault/vaults/write` can grant itself data access.
   */
  canChangeAccess: boolean;
}

export interface RoleAssignmentRef {
  /** Full role-assignment id; delete it at its own scope. */
  id: string;
  name: string;
  scope: string;
  roleDefinitionId: string;
  /** The trailing GUID of `roleDefinitionId` (it appears with and without the subscription prefix). */
  roleDefinitionGuid: string;
  /** Built-in role name when known, e.g. `Key Vault Secrets User`. */
  roleName?: string;
  principalId: string;
  principalType?: string;
  /** `direct` at the vault scope, `inherited` from a resource group / subscription / management group, `child` on an object in the vault. */
  inheritance: "direct" | "inherited" | "child";
  /** `data` roles reach keys/secrets/certificates; `management` roles change the vault (and on access-policy vaults can grant data access). */
  plane: "data" | "management" | "both";
  /** The role can read secret values (built-in table, or the custom role's data actions; unknown roles count as yes). */
  readsSecrets: boolean;
  /** The role can change who has access (vault writes or role-assignment writes; unknown roles count as yes). */
  changesAccess: boolean;
  condition?: string;
}
