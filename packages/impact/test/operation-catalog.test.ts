import { describe, expect, it } from "vitest";
import { classifyKeyVaultOperation, listKeyVaultOperations } from "@keywarden/core";
import { classifyOperation } from "../src/index.js";

describe("impact reads the shared Key Vault operation catalog", () => {
  it("KeyGet and CertificateGet return public material: not a value read, no rotation (triage calls them metadata too)", () => {
    expect(classifyOperation("KeyGet")).toEqual({ scope: "object", objectType: "key", effect: "metadata", rotates: false });
    expect(classifyOperation("CertificateGet")).toEqual({ scope: "object", objectType: "certificate", effect: "metadata", rotates: false });
  });

  it("agrees with the catalog on every operation: value reads are exactly secret material and key use", () => {
    for (const entry of listKeyVaultOperations()) {
      const info = classifyOperation(entry.name);
      const valueRead = entry.exposure === "secret-material" || entry.exposure === "key-use";
      if (info.scope === "object") {
        expect(info.effect === "value-read", entry.name).toBe(valueRead);
        expect(info.rotates, entry.name).toBe(classifyKeyVaultOperation(entry.name).rotationRecommended);
      } else {
        expect(valueRead, entry.name).toBe(false);
      }
    }
  });
});
