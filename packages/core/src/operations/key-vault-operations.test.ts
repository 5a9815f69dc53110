import { describe, expect, it } from "vitest";
import { classifyKeyVaultOperation, exposesKeyVaultValue, KEY_VAULT_OPERATION_SOURCES, listKeyVaultOperations } from "../index.js";

describe("Key Vault operation catalog", () => {
  it("classifies the operations triage and impact used to disagree about", () => {
    expect(classifyKeyVaultOperation("KeyGet")).toMatchObject({ exposure: "public-material", rotationRecommended: false, objectType: "key" });
    expect(classifyKeyVaultOperation("CertificateGet")).toMatchObject({ exposure: "public-material", rotationRecommended: false });
    expect(classifyKeyVaultOperation("SecretGet")).toMatchObject({ exposure: "secret-material", rotationRecommended: true, permission: { category: "secrets", permission: "get" } });
    for (const name of ["SecretBackup", "KeyBackup", "KeyExport", "KeyRelease", "CertificateBackup"]) {
      expect(classifyKeyVaultOperation(name).exposure).toBe("secret-material");
    }
    for (const name of ["KeyDecrypt", "KeyUnwrap", "KeySign"]) {
      expect(classifyKeyVaultOperation(name)).toMatchObject({ exposure: "key-use", rotationRecommended: true });
    }
    expect(classifyKeyVaultOperation("SecretList").exposure).toBe("list");
    expect(classifyKeyVaultOperation("VaultPut").exposure).toBe("vault-change");
    expect(classifyKeyVaultOperation("Authentication").exposure).toBe("noise");
  });

  it("is case-insensitive and never calls an unknown read harmless", () => {
    expect(classifyKeyVaultOperation("secretget")).toBe(classifyKeyVaultOperation("SecretGet"));
    expect(classifyKeyVaultOperation("SecretGetSomethingNew").exposure).toBe("unknown");
    expect(classifyKeyVaultOperation("constructor").exposure).toBe("unknown");
    expect(classifyKeyVaultOperation("VaultAccessPolicyChangedEventGridNotification").exposure).toBe("vault-change");
    expect(classifyKeyVaultOperation("SecretNearExpiryEventGridNotification").exposure).toBe("noise");
  });

  it("lists rotation-worthy exposures only for value reads, key use and caller-chosen values", () => {
    for (const entry of listKeyVaultOperations()) {
      const value = entry.exposure === "secret-material" || entry.exposure === "key-use";
      expect(exposesKeyVaultValue(entry.name)).toBe(value);
      if (value) expect(entry.rotationRecommended).toBe(true);
      if (entry.exposure === "public-material" || entry.exposure === "list" || entry.exposure === "metadata") expect(entry.rotationRecommended).toBe(false);
    }
    expect(KEY_VAULT_OPERATION_SOURCES.every((source) => source.url.startsWith("https://learn.microsoft.com/"))).toBe(true);
  });
});
