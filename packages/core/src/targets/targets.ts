/**
 * What Keywarden acts on, one shape for every package: triage proposes actions on these targets, remediation plans
 * and applies steps on them, the responder shows them. Resource ids keep the exact spelling they came with
 * (compare them case-insensitively; see `resourceIdEquals` in `@keywarden/alerts`).
 */

/** The kind of Entra ID principal. */
export type PrincipalType = "user" | "service-principal" | "managed-identity" | "group" | "unknown";

/** How a vault authorizes data-plane access. */
export type VaultAuthorization = "access-policy" | "rbac";

/** A Key Vault. */
export interface VaultTarget {
  /** ARM resource id of the vault. */
  resourceId: string;
  /** The vault name (3-24 letters, digits or dashes). */
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  /** `https://<name>.vault.azure.net/` (or the sovereign cloud's suffix) when known. */
  vaultUri?: string;
  /** The vault's authorization mode, when it was inspected. */
  authorization?: VaultAuthorization;
}

/** An Entra ID principal (user, service principal, managed identity, group). */
export interface PrincipalTarget {
  objectId: string;
  tenantId?: string;
  type?: PrincipalType;
  displayName?: string;
  userPrincipalName?: string;
  /** The application (client) id of a service principal. */
  appId?: string;
  /** Set for a compound-identity access-policy entry (an application acting for the principal). */
  applicationId?: string;
}

/** A Defender for Cloud alert. */
export interface AlertTarget {
  /** The alert's ARM resource id (`.../providers/Microsoft.Security/locations/<loc>/alerts/<name>`). */
  id: string;
  systemAlertId: string;
  subscriptionId?: string;
  resourceGroup?: string;
  location?: string;
}

/** The kinds of Key Vault object. */
export type KeyVaultObjectType = "secret" | "key" | "certificate";

/** Secrets, keys or certificates in one vault. */
export interface ObjectTarget {
  type: KeyVaultObjectType;
  name: string;
  /** The versions concerned (for example the exposed ones). Absent: every version. */
  versions?: string[];
  contentType?: string;
  tags?: Record<string, string>;
}

/** The permissions of an access-policy entry, per object kind, as Key Vault spells them (`get`, `list`, ...). */
export interface PermissionSet {
  keys?: string[];
  secrets?: string[];
  certificates?: string[];
  storage?: string[];
}

/** An access-policy entry as the vault stores it (permission casing included). */
export interface AccessPolicyEntry {
  tenantId: string;
  objectId: string;
  /** Set for a compound-identity entry (an application acting for the principal). */
  applicationId?: string;
  permissions: PermissionSet;
}
