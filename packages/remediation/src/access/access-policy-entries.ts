import type { AccessPolicyEntrySnapshot, PermissionSet } from "../plan/remediation-plan.js";

export const PERMISSION_GROUPS = ["keys", "secrets", "certificates", "storage"] as const;
export type PermissionGroup = (typeof PERMISSION_GROUPS)[number];

/** Reads an Azure `AccessPolicyEntry` into a snapshot, keeping the stored casing of every permission. */
export function snapshotAccessPolicyEntry(entry: {
  tenantId: string;
  objectId: string;
  applicationId?: string;
  permissions: { keys?: string[]; secrets?: string[]; certificates?: string[]; storage?: string[] };
}): AccessPolicyEntrySnapshot {
  const permissions: PermissionSet = {};
  for (const group of PERMISSION_GROUPS) {
    const values = entry.permissions[group];
    if (values !== undefined) permissions[group] = [...values];
  }
  const snapshot: AccessPolicyEntrySnapshot = { tenantId: entry.tenantId, objectId: entry.objectId, permissions };
  if (entry.applicationId !== undefined && entry.applicationId !== null) snapshot.applicationId = entry.applicationId;
  return snapshot;
}

/** The entries of a principal: objectId compared case-insensitively, compound (applicationId) entries included. */
export function entriesForPrincipal(
  entries: readonly AccessPolicyEntrySnapshot[],
  objectId: string,
): AccessPolicyEntrySnapshot[] {
  const wanted = objectId.toLowerCase();
  return entries.filter((entry) => entry.objectId.toLowerCase() === wanted);
}

/** The identity of an entry: (tenantId, objectId, applicationId), case-insensitive. */
export function entryKey(entry: Pick<AccessPolicyEntrySnapshot, "tenantId" | "objectId" | "applicationId">): string {
  return [entry.tenantId, entry.objectId, entry.applicationId ?? ""].join("|").toLowerCase();
}

/** The permissions of `entry` after taking away `remove` (case-insensitive; kept ones keep their stored casing). */
export function subtractPermissions(entry: PermissionSet, remove: PermissionSet): PermissionSet {
  const result: PermissionSet = {};
  for (const group of PERMISSION_GROUPS) {
    const values = entry[group];
    if (values === undefined) continue;
    const removed = new Set((remove[group] ?? []).map((value) => value.toLowerCase()));
    const removeAll = removed.has("all");
    result[group] = values.filter((value) => !removeAll && !removed.has(value.toLowerCase()));
  }
  return result;
}

/** The stored permissions (exact casing) that `remove` names: what to send to `accessPolicies/remove`. */
export function permissionsToRemove(entry: PermissionSet, remove: PermissionSet): PermissionSet {
  const result: PermissionSet = {};
  for (const group of PERMISSION_GROUPS) {
    const values = entry[group];
    if (values === undefined) continue;
    const removed = new Set((remove[group] ?? []).map((value) => value.toLowerCase()));
    const picked = removed.has("all") ? [...values] : values.filter((value) => removed.has(value.toLowerCase()));
    if (picked.length > 0) result[group] = picked;
  }
  return result;
}

export function hasAnyPermission(permissions: PermissionSet): boolean {
  return PERMISSION_GROUPS.some((group) => (permissions[group]?.length ?? 0) > 0);
}

/** Case-insensitive set equality of two permission sets. */
export function permissionsEqual(a: PermissionSet, b: PermissionSet): boolean {
  return PERMISSION_GROUPS.every((group) => {
    const left = new Set((a[group] ?? []).map((value) => value.toLowerCase()));
    const right = new Set((b[group] ?? []).map((value) => value.toLowerCase()));
    return left.size === right.size && [...left].every((value) => right.has(value));
  });
}

/** "secrets: Get, List; keys: WrapKey" */
export function describePermissions(permissions: PermissionSet): string {
  const parts = PERMISSION_GROUPS.filter((group) => (permissions[group]?.length ?? 0) > 0).map(
    (group) => `${group}: ${(permissions[group] ?? []).join(", ")}`,
  );
  return parts.length === 0 ? "no permissions" : parts.join("; ");
}
