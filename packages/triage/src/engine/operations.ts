import type { PermissionSet } from "../source-report.js";

/** Operations that return secret values (or exportable backups of them). */
export const SECRET_READ_OPERATIONS: ReadonlySet<string> = new Set(["secretget", "secretbackup"]);

/** Operations that use or export key material. */
export const KEY_USE_OPERATIONS: ReadonlySet<string> = new Set([
  "keydecrypt",
  "keyunwrap",
  "keyunwrapkey",
  "keysign",
  "keyrelease",
  "keybackup",
  "keyexport",
]);

/** Operations that read configuration and object metadata only (what first-party inventory services do). */
export const METADATA_OPERATIONS: ReadonlySet<string> = new Set([
  "authentication",
  "vaultget",
  "vaultlist",
  "secretlist",
  "secretlistversions",
  "secretlistdeleted",
  "keyget",
  "keylist",
  "keylistversions",
  "keylistdeleted",
  "keygetrotationpolicy",
  "certificateget",
  "certificatelist",
  "certificatelistversions",
  "certificatelistdeleted",
  "certificatepolicyget",
  "certificateissuerlist",
]);

/** Access-policy permission that allows each data-plane operation (lower case; stored casing varies). */
const OPERATION_PERMISSIONS: Record<string, { category: keyof PermissionSet; permission: string }> = {
  secretget: { category: "secrets", permission: "get" },
  secretlist: { category: "secrets", permission: "list" },
  secretlistversions: { category: "secrets", permission: "list" },
  secretset: { category: "secrets", permission: "set" },
  secretdelete: { category: "secrets", permission: "delete" },
  secretbackup: { category: "secrets", permission: "backup" },
  secretrestore: { category: "secrets", permission: "restore" },
  secretpurge: { category: "secrets", permission: "purge" },
  keyget: { category: "keys", permission: "get" },
  keylist: { category: "keys", permission: "list" },
  keydecrypt: { category: "keys", permission: "decrypt" },
  keyencrypt: { category: "keys", permission: "encrypt" },
  keyunwrap: { category: "keys", permission: "unwrapkey" },
  keyunwrapkey: { category: "keys", permission: "unwrapkey" },
  keywrap: { category: "keys", permission: "wrapkey" },
  keywrapkey: { category: "keys", permission: "wrapkey" },
  keysign: { category: "keys", permission: "sign" },
  keyrelease: { category: "keys", permission: "release" },
  keybackup: { category: "keys", permission: "backup" },
  keycreate: { category: "keys", permission: "create" },
  keydelete: { category: "keys", permission: "delete" },
  certificateget: { category: "certificates", permission: "get" },
  certificatelist: { category: "certificates", permission: "list" },
  certificatecreate: { category: "certificates", permission: "create" },
  certificateimport: { category: "certificates", permission: "import" },
  certificatedelete: { category: "certificates", permission: "delete" },
};

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

/** The lower-case permissions (by category) that allow the given operations. */
export function permissionsForOperations(operations: readonly string[]): Map<keyof PermissionSet, Set<string>> {
  const result = new Map<keyof PermissionSet, Set<string>>();
  for (const operation of operations) {
    const mapped = OPERATION_PERMISSIONS[lowerOperation(operation)];
    if (mapped === undefined) continue;
    let set = result.get(mapped.category);
    if (set === undefined) {
      set = new Set();
      result.set(mapped.category, set);
    }
    set.add(mapped.permission);
  }
  return result;
}
