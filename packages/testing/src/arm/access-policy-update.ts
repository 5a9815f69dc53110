import type { ArmAccessPolicyEntry } from "../state/arm-types.js";

export type AccessPolicyOperationKind = "add" | "replace" | "remove";
type PermissionKind = keyof ArmAccessPolicyEntry["permissions"];
const KINDS: readonly PermissionKind[] = ["keys", "secrets", "certificates", "storage"];

function sameIdentity(a: ArmAccessPolicyEntry, b: ArmAccessPolicyEntry): boolean {
  return (
    a.tenantId.toLowerCase() === b.tenantId.toLowerCase() &&
    a.objectId.toLowerCase() === b.objectId.toLowerCase() &&
    (a.applicationId ?? "").toLowerCase() === (b.applicationId ?? "").toLowerCase()
  );
}

function isEmpty(entry: ArmAccessPolicyEntry): boolean {
  return KINDS.every((kind) => (entry.permissions[kind] ?? []).length === 0);
}

function clean(entry: ArmAccessPolicyEntry): ArmAccessPolicyEntry {
  const permissions: ArmAccessPolicyEntry["permissions"] = {};
  for (const kind of KINDS) {
    const values = entry.permissions[kind];
    if (values !== undefined) permissions[kind] = [...values];
  }
  return {
    tenantId: entry.tenantId,
    objectId: entry.objectId,
    ...(entry.applicationId ? { applicationId: entry.applicationId } : {}),
    permissions,
  };
}

/**
 * `Vaults_UpdateAccessPolicy` as the service behaves (key-vault.md section 1.6):
 * - `add` merges the listed permissions into the entry with the same (tenantId, objectId, applicationId), matching
 *   values case-insensitively, or appends a new entry;
 * - `replace` sets that entry's permissions to exactly the ones sent;
 * - `remove` takes away the listed permissions, matching values **case-sensitively** (a casing mismatch changes
 *   nothing and still answers 200); an entry left with no permissions disappears.
 * Returns the new list; the input is not modified.
 */
export function updateAccessPolicies(
  current: readonly ArmAccessPolicyEntry[],
  kind: AccessPolicyOperationKind,
  changes: readonly ArmAccessPolicyEntry[]
): ArmAccessPolicyEntry[] {
  let policies = current.map(clean);
  for (const change of changes) {
    const index = policies.findIndex((entry) => sameIdentity(entry, change));
    const existing = index === -1 ? undefined : policies[index];
    switch (kind) {
      case "add": {
        if (!existing) {
          policies.push(clean(change));
          break;
        }
        for (const permissionKind of KINDS) {
          const add = change.permissions[permissionKind];
          if (add === undefined) continue;
          const values = existing.permissions[permissionKind] ?? [];
          for (const value of add) if (!values.some((v) => v.toLowerCase() === value.toLowerCase())) values.push(value);
          existing.permissions[permissionKind] = values;
        }
        break;
      }
      case "replace": {
        const replacement = clean(change);
        if (existing) policies[index] = { ...replacement, tenantId: existing.tenantId, objectId: existing.objectId };
        else policies.push(replacement);
        break;
      }
      case "remove": {
        if (!existing) break;
        for (const permissionKind of KINDS) {
          const remove = change.permissions[permissionKind];
          const values = existing.permissions[permissionKind];
          if (remove === undefined || values === undefined) continue;
          existing.permissions[permissionKind] = values.filter((value) => !remove.includes(value));
        }
        if (isEmpty(existing)) policies = policies.filter((_, i) => i !== index);
        break;
      }
    }
  }
  return policies;
}
