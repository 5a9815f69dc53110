import type { Vault } from "./arm-types.js";
import { CaseInsensitiveMap } from "./case-insensitive-map.js";
import { DEFAULT_VAULT_DATA_PLANE_SETTINGS, type VaultDataPlaneSettings } from "./data-plane-types.js";
import type { VaultState } from "./tenant-state.js";

/** A vault with an empty data plane. */
export function createVaultState(resource: Vault, settings: Partial<VaultDataPlaneSettings> = {}): VaultState {
  return {
    resource,
    secrets: new CaseInsensitiveMap(),
    keys: new CaseInsensitiveMap(),
    certificates: new CaseInsensitiveMap(),
    deletedSecrets: new CaseInsensitiveMap(),
    deletedKeys: new CaseInsensitiveMap(),
    deletedCertificates: new CaseInsensitiveMap(),
    purging: new CaseInsensitiveMap(),
    settings: { ...DEFAULT_VAULT_DATA_PLANE_SETTINGS, ...settings },
  };
}

/** Whether the vault answers with `Recoverable...` (soft delete on) and refuses purge (purge protection on). */
export function vaultRecoveryLevel(vault: Vault): string {
  const softDelete = vault.properties.enableSoftDelete !== false;
  if (!softDelete) return "Purgeable";
  const retention = vault.properties.softDeleteRetentionInDays ?? 90;
  const prefix = retention < 90 ? "CustomizedRecoverable" : "Recoverable";
  return vault.properties.enablePurgeProtection === true ? prefix : `${prefix}+Purgeable`;
}

/** `recoverableDays` as the data plane reports it (0 without soft delete). */
export function vaultRecoverableDays(vault: Vault): number {
  return vault.properties.enableSoftDelete === false ? 0 : vault.properties.softDeleteRetentionInDays ?? 90;
}
