import type { AccessPolicyEntry, FirewallState, RoleAssignmentRef, VaultAuthorization } from "../source-report.js";
import type { LookupOptions } from "./lookup-options.js";

/** What triage needs to know about a vault, read from the management plane. */
export interface VaultDescription {
  /** The resource id as Azure returned it. */
  resourceId: string;
  name: string;
  location?: string;
  tenantId: string;
  vaultUri?: string;
  authorization: VaultAuthorization;
  firewall: FirewallState;
  /** Every access-policy entry exactly as stored. */
  accessPolicies: AccessPolicyEntry[];
  enablePurgeProtection: boolean;
  enableSoftDelete: boolean;
}

/**
 * Reads a vault's configuration and the role assignments that reach it. Implementations reject for failures
 * (404 for a vault that no longer exists, 403, throttling); triage records the failure as missing evidence.
 */
export interface VaultInspector {
  getVault(vaultResourceId: string, options?: LookupOptions): Promise<VaultDescription>;
  /** Role assignments of one principal at, above (inherited) or below (object scope) the vault. */
  listRoleAssignments(
    vaultResourceId: string,
    principalId: string,
    options?: LookupOptions,
  ): Promise<RoleAssignmentRef[]>;
}
