import { classifyKeyVaultOperation, type OperationExposure } from "@keywarden/core";
import type { ImpactObjectType, VaultChangeKind } from "./impact-report.js";

/** What an operation does to its object, from the Key Vault operation name. */
export type OperationEffect = "value-read" | "modified" | "metadata";

/** How Keywarden classifies one Key Vault `OperationName`. */
export type OperationInfo =
  | { scope: "object"; objectType: ImpactObjectType; effect: OperationEffect; rotates: boolean }
  | { scope: "vault"; change?: VaultChangeKind }
  | { scope: "noise" }
  | { scope: "other" };

const cache = new Map<string, OperationInfo>();

/**
 * Classifies an operation name (case-insensitive) from the shared Key Vault operation catalog in
 * `@keywarden/core`, so impact and triage agree: `KeyGet` and `CertificateGet` return public material only
 * (metadata here), while secret material (SecretGet, backups, export, release) and private-key use (decrypt,
 * unwrap, sign) are value reads that call for rotation. Results are memoised: there are only ~150 names.
 */
export function classifyOperation(operationName: string): OperationInfo {
  let info = cache.get(operationName);
  if (info === undefined) {
    info = classifyUncached(operationName);
    if (cache.size < 10_000) cache.set(operationName, info);
  }
  return info;
}

function classifyUncached(name: string): OperationInfo {
  const entry = classifyKeyVaultOperation(name);
  if (entry.exposure === "noise") return { scope: "noise" };
  const op = name.trim().toLowerCase();
  if (entry.objectType === "vault") return { scope: "vault", ...vaultChange(op) };
  if (entry.objectType === "secret" || entry.objectType === "key" || entry.objectType === "certificate") {
    return { scope: "object", objectType: entry.objectType, effect: effectOf(entry.exposure), rotates: entry.rotationRecommended };
  }
  return { scope: "other" };
}

function effectOf(exposure: OperationExposure): OperationEffect {
  switch (exposure) {
    case "secret-material":
    case "key-use":
      return "value-read";
    case "object-change":
    case "vault-change":
      return "modified";
    default:
      return "metadata";
  }
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
