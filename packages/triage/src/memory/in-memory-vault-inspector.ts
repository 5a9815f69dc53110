import { VaultNotFoundError } from "../errors/vault-not-found-error.js";
import type { VaultDescription, VaultInspector } from "../providers/vault-inspector.js";
import { toRoleAssignmentRef, type RawRoleAssignment } from "../source/azure-role-catalog.js";
import type { RoleAssignmentRef } from "../source-report.js";
import { cloneJson } from "../engine/clone-json.js";

export interface InMemoryVaultInspectorOptions {
  vaults?: readonly VaultDescription[];
  /** Role assignments anywhere in the hierarchy; each is classified relative to the vault asked about. */
  roleAssignments?: readonly RawRoleAssignment[];
}

/** A vault inventory held in memory, for tests and offline triage. */
export class InMemoryVaultInspector implements VaultInspector {
  readonly #vaults = new Map<string, VaultDescription>();
  readonly #assignments: readonly RawRoleAssignment[];

  constructor(options: InMemoryVaultInspectorOptions = {}) {
    for (const vault of options.vaults ?? []) this.#vaults.set(vault.resourceId.toLowerCase(), vault);
    this.#assignments = options.roleAssignments ?? [];
  }

  getVault(vaultResourceId: string): Promise<VaultDescription> {
    const vault = this.#vaults.get(vaultResourceId.toLowerCase());
    if (vault === undefined) {
      return Promise.reject(new VaultNotFoundError(vaultResourceId));
    }
    return Promise.resolve(cloneJson(vault));
  }

  /** At, above (inherited) and below (object scope) the vault, like ARM's `principalId eq` filter. */
  listRoleAssignments(vaultResourceId: string, principalId: string): Promise<RoleAssignmentRef[]> {
    const vault = vaultResourceId.toLowerCase();
    const matches = this.#assignments.filter((raw) => {
      if (raw.principalId.toLowerCase() !== principalId.toLowerCase()) return false;
      const scope = raw.scope.toLowerCase().replace(/\/$/, "");
      return scope === "/" || vault === scope || vault.startsWith(`${scope}/`) || scope.startsWith(`${vault}/`);
    });
    return Promise.resolve(matches.map((raw) => toRoleAssignmentRef(raw, vaultResourceId)));
  }
}
