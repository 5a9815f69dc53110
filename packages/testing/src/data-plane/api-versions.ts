/**
 * The Key Vault data-plane api-versions the service answers, oldest first: every version folder of
 * `specification/keyvault/data-plane/Microsoft.KeyVault/` in Azure/azure-rest-api-specs, stable (2015-06-01,
 * 2016-10-01, 7.0 to 7.6, then the date-named 2025-07-01 that `@azure/keyvault-*` 4.10 sends) and preview (each
 * `7.x-preview` the SDKs sent before the stable version, and the date-named previews). Recorded traffic uses several
 * previews (`7.5-preview.1`, `7.6-preview.2`), so they are served too.
 */
export const KEY_VAULT_API_VERSIONS = [
  "2015-06-01",
  "2016-10-01",
  "7.0-preview",
  "7.0",
  "7.1-preview",
  "7.1",
  "7.2-preview",
  "7.2",
  "7.3-preview",
  "7.3",
  "7.4-preview.1",
  "7.4",
  "7.5-preview.1",
  "7.5",
  "7.6-preview.1",
  "7.6-preview.2",
  "7.6",
  "2025-06-01-preview",
  "2025-07-01",
  "2026-01-01-preview",
] as const;

export const LATEST_KEY_VAULT_API_VERSION: KeyVaultApiVersion = "2025-07-01";

export type KeyVaultApiVersion = (typeof KEY_VAULT_API_VERSIONS)[number];

const ORDER = new Map<string, number>(KEY_VAULT_API_VERSIONS.map((version, index) => [version, index]));

export function isKnownKeyVaultApiVersion(version: string): boolean {
  return ORDER.has(version);
}

/** Whether `version` is `minimum` or later (an unknown version counts as the newest: it is refused before this). */
export function apiVersionAtLeast(version: string, minimum: KeyVaultApiVersion): boolean {
  return (ORDER.get(version) ?? Number.POSITIVE_INFINITY) >= (ORDER.get(minimum) ?? 0);
}

/** Whether `version` is `maximum` or older (both known versions). */
export function apiVersionAtMost(version: string, maximum: string): boolean {
  return (ORDER.get(version) ?? Number.POSITIVE_INFINITY) <= (ORDER.get(maximum) ?? Number.NEGATIVE_INFINITY);
}
