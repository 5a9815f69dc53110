import { describe, expect, it } from "vitest";

import { findPermissionRequirement } from "../src/index.js";

const VAULT = "https://kv-payments-prod.vault.azure.net";
const ARM_VAULT = "https://management.azure.com/subscriptions/6a0f0c3e-0000-4000-8000-000000000001/resourceGroups/rg-payments/providers/Microsoft.KeyVault/vaults/kv-payments-prod";

/** A 403 on each request is explained by the operation Keywarden was doing, and the role that grants it. */
describe("findPermissionRequirement", () => {
  it.each([
    ["POST", `${VAULT}/keys/plan-signing/0123456789abcdef0123456789abcdef/sign?api-version=7.5`, "sign or verify plans with a Key Vault key", "Key Vault Crypto User"],
    ["POST", `${VAULT}/keys/plan-signing/0123456789abcdef0123456789abcdef/verify?api-version=7.5`, "sign or verify plans with a Key Vault key", "Key Vault Crypto User"],
    ["POST", `${VAULT}/keys/plan-signing/sign?api-version=7.5`, "sign or verify plans with a Key Vault key", "Key Vault Crypto User"],
    ["POST", `${VAULT}/keys/jwt-key/rotate?api-version=7.5`, "rotate-keys", "Key Vault Crypto Officer"],
    ["PATCH", `${VAULT}/keys/jwt-key/0123456789abcdef0123456789abcdef?api-version=7.5`, "disable or delete keys", "Key Vault Crypto Officer"],
    ["DELETE", `${VAULT}/keys/jwt-key?api-version=7.5`, "disable or delete keys", "Key Vault Crypto Officer"],
    ["PATCH", `${VAULT}/secrets/db-password/0123456789abcdef0123456789abcdef?api-version=7.5`, "disable-secrets", "Key Vault Secrets Officer"],
    ["PATCH", `${ARM_VAULT}?api-version=2023-07-01`, "enable-firewall", "Key Vault Contributor"],
  ])("%s %s → %s", (method, url, operation, role) => {
    expect(findPermissionRequirement(method, url)).toMatchObject({ operation, role });
  });

  it("knows nothing of a URL it cannot parse or a host that is not Azure's", () => {
    expect(findPermissionRequirement("POST", "not a url")).toBeUndefined();
    expect(findPermissionRequirement("POST", "https://kv-payments-prod.vault.example.com/keys/k/sign")).toBeUndefined();
  });
});
