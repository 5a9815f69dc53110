import { describe, expect, it } from "vitest";
import { KeywardenError } from "@keywarden/core";
import {
  alertCatalog,
  getAlertTypeInfo,
  getExtendedProperty,
  isKeyVaultResourceId,
  parseOperationCounts,
  parseResourceId,
  parseUsDateTime,
  resourceIdEquals,
  vaultUriFromName,
} from "../src/index.js";

describe("parseResourceId", () => {
  it("splits a vault id, keeping casing", () => {
    expect(parseResourceId("/SUBSCRIPTIONS/0f907ea4-bc8b-4c11-9d7e-805c2fd144fb/RESOURCEGROUPS/Sample-RG/providers/microsoft.keyvault/vaults/Sample-KV/")).toEqual({
      id: "/SUBSCRIPTIONS/0f907ea4-bc8b-4c11-9d7e-805c2fd144fb/RESOURCEGROUPS/Sample-RG/providers/microsoft.keyvault/vaults/Sample-KV",
      subscriptionId: "0f907ea4-bc8b-4c11-9d7e-805c2fd144fb",
      resourceGroup: "Sample-RG",
      provider: "microsoft.keyvault",
      type: "microsoft.keyvault/vaults",
      name: "Sample-KV",
      segments: [{ type: "vaults", name: "Sample-KV" }],
      subscriptionIdIsGuid: true,
    });
  });

  it("handles nested types, subscription-scoped alerts and bare scopes", () => {
    const secret = parseResourceId("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/secrets/db");
    expect(secret).toMatchObject({ type: "Microsoft.KeyVault/vaults/secrets", name: "db", subscriptionIdIsGuid: false });
    expect(secret!.segments).toEqual([
      { type: "vaults", name: "kv" },
      { type: "secrets", name: "db" },
    ]);
    const alert = parseResourceId("/subscriptions/s1/providers/Microsoft.Security/locations/centralus/alerts/abc");
    expect(alert).toMatchObject({ type: "Microsoft.Security/locations/alerts", name: "abc" });
    expect(alert).not.toHaveProperty("resourceGroup");
    expect(parseResourceId("/subscriptions/s1/resourceGroups/rg")).toMatchObject({ resourceGroup: "rg", segments: [] });
  });

  it("returns undefined for non-ids", () => {
    for (const bad of ["", "kv", "subscriptions/s1", "/subscriptions/", "/subscriptions//resourceGroups/rg", "/subscriptions/s/providers/X/vaults", "/tenants/t", 42 as unknown as string]) {
      expect(parseResourceId(bad)).toBeUndefined();
    }
  });

  it("isKeyVaultResourceId matches vaults in any casing only", () => {
    expect(isKeyVaultResourceId("/subscriptions/s/resourcegroups/rg/providers/MICROSOFT.KEYVAULT/VAULTS/kv")).toBe(true);
    expect(isKeyVaultResourceId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/secrets/x")).toBe(false);
    expect(isKeyVaultResourceId("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/kv")).toBe(false);
  });
});

describe("resourceIdEquals", () => {
  it("compares case-insensitively and ignores a trailing slash", () => {
    expect(resourceIdEquals("/SUBSCRIPTIONS/A/RESOURCEGROUPS/RG/providers/microsoft.keyvault/vaults/KV", "/subscriptions/a/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/")).toBe(true);
    expect(resourceIdEquals("/subscriptions/a/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1", "/subscriptions/a/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv")).toBe(false);
    expect(resourceIdEquals(undefined, undefined)).toBe(false);
    expect(resourceIdEquals("", "")).toBe(false);
  });
});

describe("vaultUriFromName", () => {
  it("derives the public-cloud URI by default, lower-cased with a trailing slash", () => {
    expect(vaultUriFromName("Sample-KV")).toBe("https://sample-kv.vault.azure.net/");
  });
  it("takes a cloud suffix, with or without a leading dot", () => {
    expect(vaultUriFromName("kv1", { suffix: "vault.azure.cn" })).toBe("https://kv1.vault.azure.cn/");
    expect(vaultUriFromName("kv1", { suffix: ".vault.usgovcloudapi.net" })).toBe("https://kv1.vault.usgovcloudapi.net/");
  });
  it("refuses names and suffixes that would inject into the host", () => {
    for (const bad of ["kv", "1kv", "kv-", "a--b", "evil.com/x", "kv@evil", "k".repeat(25)]) {
      expect(() => vaultUriFromName(bad)).toThrowError(KeywardenError);
    }
    expect(() => vaultUriFromName("kv1", { suffix: "evil.com/#" })).toThrowError(/DNS suffix/);
    try {
      vaultUriFromName("x");
    } catch (error) {
      expect(error).toMatchObject({ code: "KW_ALERTS_E0201" });
    }
  });
});

describe("getExtendedProperty", () => {
  const props = { "attacker IP Address": "203.0.113.1", "Client Information": "curl/8", count: 3, nested: { a: 1 } };
  it("ignores case and spacing", () => {
    expect(getExtendedProperty(props, "Attacker IP Address")).toBe("203.0.113.1");
    expect(getExtendedProperty(props, "attackerIpAddress")).toBe("203.0.113.1");
    expect(getExtendedProperty(props, "client_information")).toBe("curl/8");
  });
  it("stringifies scalars and ignores objects, missing keys and non-objects", () => {
    expect(getExtendedProperty(props, "Count")).toBe("3");
    expect(getExtendedProperty(props, "nested")).toBeUndefined();
    expect(getExtendedProperty(props, "missing")).toBeUndefined();
    expect(getExtendedProperty(null, "x")).toBeUndefined();
    expect(getExtendedProperty(["a"], "0")).toBeUndefined();
  });
});

describe("parseOperationCounts", () => {
  it("parses Defender's bracketed lists in order", () => {
    expect(parseOperationCounts("[SecretGet:3, SecretList:5]")).toEqual([
      { operation: "SecretGet", count: 3 },
      { operation: "SecretList", count: 5 },
    ]);
    expect(parseOperationCounts("SecretGet:1")).toEqual([{ operation: "SecretGet", count: 1 }]);
  });
  it("skips malformed entries and tolerates empty input", () => {
    expect(parseOperationCounts("[A:1, B, :2, C:x, D:-1, E:2.5, F: 7 ]")).toEqual([
      { operation: "A", count: 1 },
      { operation: "F", count: 7 },
    ]);
    expect(parseOperationCounts("[]")).toEqual([]);
    expect(parseOperationCounts("")).toEqual([]);
    expect(parseOperationCounts(undefined)).toEqual([]);
  });
});

describe("parseUsDateTime", () => {
  it("converts MM/dd/yyyy HH:mm:ss to ISO UTC", () => {
    expect(parseUsDateTime("09/08/2022 07:51:17")).toBe("2022-09-08T07:51:17Z");
    expect(parseUsDateTime("1/2/2023 3:04:05 PM")).toBe("2023-01-02T15:04:05Z");
    expect(parseUsDateTime("12/31/2023 12:00:00 AM")).toBe("2023-12-31T00:00:00Z");
    expect(parseUsDateTime("02/29/2024 23:59:59.1234567")).toBe("2024-02-29T23:59:59.1234567Z");
  });
  it("rejects impossible or other formats", () => {
    for (const bad of ["02/29/2023 00:00:00", "13/01/2022 00:00:00", "2022-09-08T07:51:17Z", "09/08/2022", "09/08/2022 24:00:00", "13:00:00 PM"]) {
      expect(parseUsDateTime(bad)).toBeUndefined();
    }
  });
});

describe("alert catalog", () => {
  it("has the 14 documented Key Vault alert types", () => {
    const kinds = Object.keys(alertCatalog);
    expect(kinds).toHaveLength(14);
    for (const [kind, info] of Object.entries(alertCatalog)) {
      expect(info.kind).toBe(kind);
      expect(kind.startsWith("KV_")).toBe(true);
      expect(info.tactics.length).toBeGreaterThan(0);
    }
  });
  it("records severity, tactics and whether access was denied", () => {
    expect(alertCatalog.KV_UserAccessDeniedAnomaly).toMatchObject({ severity: "Low", tactics: ["InitialAccess", "Discovery"], access: "denied" });
    expect(alertCatalog.KV_SuspiciousIPAccessDenied).toMatchObject({ severity: "Low", access: "denied" });
    expect(alertCatalog.KV_TORAccess).toMatchObject({ severity: "Medium", access: "succeeded", subject: "ip" });
    expect(Object.values(alertCatalog).filter((info) => info.access === "denied").map((info) => info.kind).sort()).toEqual([
      "KV_AccountVolumeAccessDeniedAnomaly",
      "KV_SuspiciousIPAccessDenied",
      "KV_UserAccessDeniedAnomaly",
    ]);
  });
  it("looks up by kind, simulated type or alias, ignoring case", () => {
    expect(getAlertTypeInfo("KV_TORAccess")?.kind).toBe("KV_TORAccess");
    expect(getAlertTypeInfo("SIMULATED_KV_TORAccess")?.kind).toBe("KV_TORAccess");
    expect(getAlertTypeInfo("KV_DeniedAccountVolumeAnomaly")?.kind).toBe("KV_AccountVolumeAccessDeniedAnomaly");
    expect(getAlertTypeInfo("kv_toraccess")?.kind).toBe("KV_TORAccess");
    expect(getAlertTypeInfo("KV_ImpossibleTravel")).toBeUndefined();
    expect(getAlertTypeInfo("VM_EICAR")).toBeUndefined();
  });
  it("is frozen", () => {
    expect(Object.isFrozen(alertCatalog)).toBe(true);
    expect(Object.isFrozen(alertCatalog.KV_TORAccess)).toBe(true);
  });
});
