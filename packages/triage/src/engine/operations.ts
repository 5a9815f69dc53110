import { classifyKeyVaultOperation, listKeyVaultOperations, type KeyVaultOperation } from "@keywarden/core";
import type { PermissionSet } from "../source-report.js";

/**
 * Triage's views of the shared Key Vault operation catalog (`@keywarden/core`), as lower-case name sets so the
 * per-alert checks stay set lookups. Impact reads the same catalog: an operation is never "metadata" here and
 * "rotate" there.
 */
const CATALOG = listKeyVaultOperations();

function namesWhere(test: (entry: KeyVaultOperation) => boolean): ReadonlySet<string> {
  return new Set(CATALOG.filter(test).map((entry) => entry.name.toLowerCase()));
}

/** Operations that return secret values (or backups of secrets or certificates, which carry the private key). */
export const SECRET_READ_OPERATIONS: ReadonlySet<string> = namesWhere(
  (entry) => entry.exposure === "secret-material" && (entry.objectType === "secret" || entry.objectType === "certificate"),
);

/** Operations that use a private key or hand out key material (decrypt, unwrap, sign, release, export, backup). */
export const KEY_USE_OPERATIONS: ReadonlySet<string> = namesWhere(
  (entry) => entry.objectType === "key" && (entry.exposure === "key-use" || entry.exposure === "secret-material"),
);

/** Operations that read public material, properties or names only (what first-party inventory services do). */
export const METADATA_OPERATIONS: ReadonlySet<string> = namesWhere(
  (entry) => entry.exposure === "public-material" || entry.exposure === "metadata" || entry.exposure === "list" || entry.exposure === "noise",
);

/**
 * Operation names in lower case. The same few dozen names (`SecretGet`, `VaultGet`, ...) recur in every alert, so
 * conversions are remembered, up to a bound.
 */
const lowerCaseNames = new Map<string, string>();

export function lowerOperation(operation: string): string {
  let lower = lowerCaseNames.get(operation);
  if (lower === undefined) {
    lower = operation.toLowerCase();
    if (lowerCaseNames.size < 1024) lowerCaseNames.set(operation, lower);
  }
  return lower;
}

/** The lower-case permissions (by category) that allow the given operations (from the catalog). */
export function permissionsForOperations(operations: readonly string[]): Map<keyof PermissionSet, Set<string>> {
  const result = new Map<keyof PermissionSet, Set<string>>();
  for (const operation of operations) {
    const mapped = classifyKeyVaultOperation(operation).permission;
    if (mapped === undefined) continue;
    let set = result.get(mapped.category);
    if (set === undefined) {
      set = new Set();
      result.set(mapped.category, set);
    }
    set.add(mapped.permission.toLowerCase());
  }
  return result;
}
