import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { permissionsToRemove, subtractPermissions } from "../src/index.js";

const stored = { secrets: ["Get", "List", "Set"], keys: ["Get", "WrapKey", "UnwrapKey"] };

describe("access-policy permission arithmetic", () => {
  it("names the stored casing to send to accessPolicies/remove", () => {
    expect(permissionsToRemove(stored, { secrets: ["get", "SET"], keys: ["wrapkey"] })).toEqual({ secrets: ["Get", "Set"], keys: ["WrapKey"] });
    expect(permissionsToRemove(stored, { keys: ["all"] })).toEqual({ keys: ["Get", "WrapKey", "UnwrapKey"] });
    expect(permissionsToRemove(stored, { certificates: ["get"] })).toEqual({});
  });

  it("keeps every permission it was not asked to take, with its casing", () => {
    expect(subtractPermissions(stored, { secrets: ["get"] })).toEqual({ secrets: ["List", "Set"], keys: ["Get", "WrapKey", "UnwrapKey"] });
    const names = fc.constantFrom("Get", "get", "List", "list", "Set", "Delete", "Purge", "Backup");
    fc.assert(
      fc.property(fc.uniqueArray(names), fc.array(names), (have, take) => {
        const kept = subtractPermissions({ secrets: have }, { secrets: take }).secrets ?? [];
        const removed = permissionsToRemove({ secrets: have }, { secrets: take }).secrets ?? [];
        expect([...kept, ...removed].sort()).toEqual([...have].sort());
        const lowerTake = take.map((value) => value.toLowerCase());
        for (const value of kept) expect(lowerTake).not.toContain(value.toLowerCase());
      }),
    );
  });
});
