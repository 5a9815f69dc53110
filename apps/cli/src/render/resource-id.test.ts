import { describe, expect, it } from "vitest";

import { canonicalResourceId } from "./resource-id.js";

describe("canonicalResourceId", () => {
  const upper =
    "/SUBSCRIPTIONS/6A0F1D2E-0000-4000-8000-000000000001/RESOURCEGROUPS/RG-PAYMENTS/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PAYMENTS";

  it("normalises an id as Defender spells it to ARM's canonical casing", () => {
    expect(canonicalResourceId(upper)).toBe(
      "/subscriptions/6a0f1d2e-0000-4000-8000-000000000001/resourceGroups/rg-payments/providers/Microsoft.KeyVault/vaults/kv-payments",
    );
  });

  it("prefers the spelling ARM returned for the vault, for the alert id below it too", () => {
    const vault = "/subscriptions/6a0f1d2e-0000-4000-8000-000000000001/resourceGroups/RG-Payments/providers/Microsoft.KeyVault/vaults/kv-Payments";
    expect(canonicalResourceId(`${upper}/PROVIDERS/MICROSOFT.SECURITY/ALERTS/2517538088322968242_ABC`, { known: [vault] })).toBe(
      `${vault}/providers/Microsoft.Security/alerts/2517538088322968242_abc`,
    );
  });

  it("leaves anything that is not an ARM id alone", () => {
    expect(canonicalResourceId("https://kv.vault.azure.net/secrets/DB")).toBe("https://kv.vault.azure.net/secrets/DB");
  });
});
