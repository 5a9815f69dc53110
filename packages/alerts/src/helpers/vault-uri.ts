import { defineErrorCodes, KeywardenError } from "@keywarden/core";

/** The vault DNS suffix of the Azure public cloud. */
export const publicCloudVaultSuffix = "vault.azure.net";

/** Key Vault names: 3-24 characters, letters, digits and hyphens, starting with a letter (Azure naming rules). */
const vaultNamePattern = /^[a-z][a-z0-9-]{1,22}[a-z0-9]$/i;
const dnsSuffixPattern = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i;

export interface VaultUriOptions {
  /**
   * The cloud's vault DNS suffix, e.g. `vault.azure.cn` (China), `vault.usgovcloudapi.net` (US Gov) or
   * `vault.microsoftazure.de`. Defaults to the public cloud's `vault.azure.net`. A leading dot is accepted.
   */
  suffix?: string;
}

/** `true` when `name` satisfies Azure's Key Vault naming rules. */
export function isValidVaultName(name: string): boolean {
  return typeof name === "string" && vaultNamePattern.test(name) && !name.includes("--");
}

/** Stable codes of the errors {@link vaultUriFromName} throws. */
export const vaultUriErrorCodes = defineErrorCodes({
  invalidVaultName: { code: "KW_ALERTS_E0201", category: "invalid-input" },
  invalidDnsSuffix: { code: "KW_ALERTS_E0202", category: "invalid-input" },
});

/**
 * The data-plane URI of a vault, `https://<name>.vault.azure.net/` (lower-cased, trailing slash like ARM's
 * `properties.vaultUri`).
 *
 * @throws KeywardenError `KW_ALERTS_E0201` when the name is not a valid vault name (so nothing taken from an
 *   alert is ever interpolated into a host name unchecked), `KW_ALERTS_E0202` when the suffix is not a DNS name.
 */
export function vaultUriFromName(name: string, options: VaultUriOptions = {}): string {
  if (!isValidVaultName(name)) {
    throw new KeywardenError(
      vaultUriErrorCodes.invalidVaultName,
      `"${String(name).slice(0, 64)}" is not a valid Key Vault name (3-24 letters, digits or single hyphens, starting with a letter); pass the vault's name, not its id or URI.`,
      { category: "invalid-input" },
    );
  }
  let suffix = options.suffix ?? publicCloudVaultSuffix;
  if (suffix.startsWith(".")) suffix = suffix.slice(1);
  if (suffix !== lastValidSuffix && !isDnsSuffix(suffix)) {
    throw new KeywardenError(
      vaultUriErrorCodes.invalidDnsSuffix,
      `"${suffix.slice(0, 64)}" is not a DNS suffix; pass e.g. "vault.azure.net" or "vault.azure.cn".`,
      { category: "invalid-input" },
    );
  }
  return `https://${name.toLowerCase()}.${lastValidSuffixLower}/`;
}

/** A run uses one cloud's suffix: the last one that passed the (costly, look-behind) check is remembered. */
let lastValidSuffix = publicCloudVaultSuffix;
let lastValidSuffixLower = publicCloudVaultSuffix;

function isDnsSuffix(suffix: string): boolean {
  if (!dnsSuffixPattern.test(suffix)) return false;
  lastValidSuffix = suffix;
  lastValidSuffixLower = suffix.toLowerCase();
  return true;
}
