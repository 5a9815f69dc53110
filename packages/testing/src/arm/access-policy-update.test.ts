import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ArmAccessPolicyEntry } from "../state/arm-types.js";
import { ACCESS_POLICY_PERMISSIONS } from "./access-policy-permissions.js";
import { updateAccessPolicies } from "./access-policy-update.js";

const TENANT = "11111111-2222-4333-8444-555555555555";
const casing = (value: string) => fc.constantFrom(value, value.toUpperCase(), value[0]!.toUpperCase() + value.slice(1));
const secretPermission = fc.constantFrom(...ACCESS_POLICY_PERMISSIONS.secrets).chain(casing);
const keyPermission = fc.constantFrom(...ACCESS_POLICY_PERMISSIONS.keys).chain(casing);
const objectId = fc.constantFrom("aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002", "AAAAAAAA-0000-4000-8000-000000000003");
const entry: fc.Arbitrary<ArmAccessPolicyEntry> = fc.record({
  tenantId: fc.constant(TENANT),
  objectId,
  permissions: fc.record({ secrets: fc.uniqueArray(secretPermission, { maxLength: 4 }), keys: fc.uniqueArray(keyPermission, { maxLength: 3 }) }),
});
const policies = fc.uniqueArray(entry, { maxLength: 3, selector: (e) => e.objectId.toLowerCase() });

describe("updateAccessPolicies", () => {
  it("add is idempotent", () => {
    fc.assert(
      fc.property(policies, entry, (current, change) => {
        const once = updateAccessPolicies(current, "add", [change]);
        expect(updateAccessPolicies(once, "add", [change])).toEqual(once);
      }),
    );
  });

  it("remove never grants anything and never touches other principals", () => {
    fc.assert(
      fc.property(policies, entry, (current, change) => {
        const after = updateAccessPolicies(current, "remove", [change]);
        for (const updated of after) {
          const before = current.find((e) => e.objectId === updated.objectId)!;
          for (const kind of ["secrets", "keys"] as const) {
            for (const value of updated.permissions[kind] ?? []) expect(before.permissions[kind]).toContain(value);
          }
          if (updated.objectId.toLowerCase() !== change.objectId.toLowerCase()) expect(updated).toEqual(before);
        }
      }),
    );
  });

  it("removing an entry exactly as read makes it disappear; with other casing it changes nothing", () => {
    fc.assert(
      fc.property(policies, (current) => {
        fc.pre(current.length > 0);
        const target = current[0]!;
        const gone = updateAccessPolicies(current, "remove", [target]);
        expect(gone.map((e) => e.objectId)).not.toContain(target.objectId);
        const stored = target.permissions.secrets ?? [];
        fc.pre(stored.length > 0 && stored.every((p) => p !== p.toUpperCase()));
        const shouted = { ...target, permissions: { secrets: stored.map((p) => p.toUpperCase()) } };
        expect(updateAccessPolicies(current, "remove", [shouted])).toEqual(current);
      }),
    );
  });

  it("replace leaves exactly the permissions sent", () => {
    fc.assert(
      fc.property(policies, entry, (current, change) => {
        const after = updateAccessPolicies(current, "replace", [change]);
        const replaced = after.find((e) => e.objectId.toLowerCase() === change.objectId.toLowerCase())!;
        expect(replaced.permissions).toEqual(change.permissions);
      }),
    );
  });
});
