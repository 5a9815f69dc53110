import type { ImpactObjectType, VaultChangeKind } from "./impact-report.js";

/** What an operation does to its object, from the Key Vault operation name. */
export type OperationEffect = "value-read" | "modified" | "metadata";

/** How Keywarden classifies one Key Vault `OperationName`. */
export type OperationInfo =
  | { scope: "object"; objectType: ImpactObjectType; effect: OperationEffect; rotates: boolean }
  | { scope: "vault"; change?: VaultChangeKind }
  | { scope: "noise" }
  | { scope: "other" };

/**
 * Operations that disclose a value or use private key material. `KeyGet` is listed because the reading
 * of impact (and Defender's) treats a key read as exposure; public-key operations (encrypt, wrap, verify) are not.
 */
const valueReads = new Set([
  "secretget",
  "secretbackup",
  "keyget",
  "keysign",
  "keydecrypt",
  "keyunwrap",
  "keybackup",
  "keyrelease",
  "keyexport",
  "certificatebackup",
]);

/** Writes that can leave an attacker-chosen value behind: the object must be rotated (a new, trusted value). */
const valueWrites = new Set([
  "secretset",
  "secretrestore",
  "keycreate",
  "keyimport",
  "keyrestore",
  "certificatecreate",
  "certificateimport",
  "certificaterestore",
  "certificatependingmerge",
]);

const modifyingVerbs = /(set|update|delete|purge|recover|restore|create|import|rotate|merge|enroll|renew)$/;

const objectPrefixes: readonly [string, ImpactObjectType][] = [
  ["certificate", "certificate"],
  ["secret", "secret"],
  ["key", "key"],
];

const cache = new Map<string, OperationInfo>();

/** Classifies an operation name (case-insensitive). Results are memoised: there are only ~150 names. */
export function classifyOperation(operationName: string): OperationInfo {
  let info = cache.get(operationName);
  if (info === undefined) {
    info = classifyUncached(operationName.toLowerCase());
    if (cache.size < 10_000) cache.set(operationName, info);
  }
  return info;
}

function classifyUncached(op: string): OperationInfo {
  if (op === "authentication") return { scope: "noise" };
  if (op.endsWith("eventgridnotification") && !op.includes("accesspolicy")) return { scope: "other" };
  if (op.startsWith("vault")) return { scope: "vault", ...vaultChange(op) };
  for (const [prefix, objectType] of objectPrefixes) {
    if (!op.startsWith(prefix)) continue;
    if (valueReads.has(op)) return { scope: "object", objectType, effect: "value-read", rotates: true };
    if (valueWrites.has(op)) return { scope: "object", objectType, effect: "modified", rotates: true };
    if (modifyingVerbs.test(op)) return { scope: "object", objectType, effect: "modified", rotates: false };
    return { scope: "object", objectType, effect: "metadata", rotates: false };
  }
  return { scope: "other" };
}

function vaultChange(op: string): { change?: VaultChangeKind } {
  if (op.includes("accesspolicy")) return { change: "access-policy" };
  switch (op) {
    case "vaultput":
    case "vaultpatch":
      return { change: "vault-properties" };
    case "vaultdelete":
      return { change: "vault-delete" };
    case "vaultrecover":
      return { change: "vault-recover" };
    case "vaultpurge":
      return { change: "vault-purge" };
    default:
      // VaultGet, VaultList, VaultGetDeleted, VaultListDeleted: reads of the vault's own properties.
      return /(get|list|listdeleted|getdeleted)$/.test(op) ? {} : { change: "other" };
  }
}
