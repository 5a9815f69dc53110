import type { KeyVaultAlert } from "@keywarden/alerts";

import type { AlertDifference } from "../store/store-types.js";

const sorted = (values: readonly string[] | undefined) => [...(values ?? [])].map((value) => value.toLowerCase()).sort();

/**
 * Where the pushed alert and Defender's copy disagree, on the fields the response depends on. The responder acts on
 * Defender's copy; the differences are recorded for the people reviewing the incident.
 */
export function alertDifferences(pushed: KeyVaultAlert, defender: KeyVaultAlert): AlertDifference[] {
  const fields: Array<[string, unknown, unknown, boolean?]> = [
    ["alertType", pushed.alertType, defender.alertType],
    ["severity", pushed.severity, defender.severity],
    ["status", pushed.status, defender.status],
    ["vault.resourceId", pushed.vault?.resourceId?.toLowerCase(), defender.vault?.resourceId?.toLowerCase()],
    ["source.ipAddress", pushed.source?.ipAddress, defender.source?.ipAddress],
    ["source.objectId", pushed.source?.objectId?.toLowerCase(), defender.source?.objectId?.toLowerCase()],
    ["source.userPrincipalName", pushed.source?.userPrincipalName?.toLowerCase(), defender.source?.userPrincipalName?.toLowerCase()],
    ["source.applicationId", pushed.source?.applicationId?.toLowerCase(), defender.source?.applicationId?.toLowerCase()],
    ["startTime", pushed.startTime, defender.startTime],
    ["endTime", pushed.endTime, defender.endTime],
    ["targets", sorted(pushed.targets), sorted(defender.targets)],
    ["operations.suspicious", pushed.operations?.suspicious ?? [], defender.operations?.suspicious ?? []],
  ];
  const differences: AlertDifference[] = [];
  for (const [field, a, b] of fields) {
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push({ field, pushed: a ?? null, defender: b ?? null });
  }
  return differences;
}
