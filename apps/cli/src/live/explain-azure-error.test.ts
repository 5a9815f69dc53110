import { describe, expect, it } from "vitest";

import { explainAzureError } from "./explain-azure-error.js";
import { findPermissionRequirement } from "@keywarden/remediation";

const vault = "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1";

function forbidden(method: string, url: string, code = "AuthorizationFailed"): Error {
  return Object.assign(new Error("The client does not have authorization to perform action."), { statusCode: 403, code, request: { method, url } });
}

describe("findPermissionRequirement", () => {
  it.each([
    ["GET", "https://management.azure.com/subscriptions/s1/providers/Microsoft.Security/alerts?api-version=2021-11-01", "Microsoft.Security/alerts/read", "Security Reader"],
    ["POST", "https://management.azure.com/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Security/locations/westeurope/alerts/a1/resolve", "Microsoft.Security/locations/alerts/resolve/action (and /dismiss, /activate, /inProgress)", "Security Admin"],
    ["PATCH", `https://management.azure.com${vault}?api-version=2026-02-01`, "Microsoft.KeyVault/vaults/write", "Key Vault Contributor"],
    ["PUT", `https://management.azure.com${vault}/accessPolicies/remove?api-version=2026-02-01`, "Microsoft.KeyVault/vaults/accessPolicies/write", "Key Vault Contributor"],
    ["DELETE", `https://management.azure.com${vault}/providers/Microsoft.Authorization/roleAssignments/ra1`, "Microsoft.Authorization/roleAssignments/delete", expect.stringContaining("Role Based Access Control Administrator")],
    ["PATCH", "https://kv1.vault.azure.net/secrets/db/0123?api-version=2025-07-01", "Microsoft.KeyVault/vaults/secrets/update/action (access policy: secrets set)", "Key Vault Secrets Officer"],
    ["POST", "https://kv1.vault.azure.net/keys/signing/rotate", "Microsoft.KeyVault/vaults/keys/rotate/action (access policy: keys rotate)", "Key Vault Crypto Officer"],
    ["POST", "https://graph.microsoft.com/v1.0/users/u1/revokeSignInSessions", "User.RevokeSessions.All (Microsoft Graph)", expect.stringContaining("User Administrator")],
    ["POST", "https://api.loganalytics.io/v1/workspaces/w1/query", "Microsoft.OperationalInsights/workspaces/query/read", "Log Analytics Reader"],
  ])("%s %s needs %s", (method, url, permission, role) => {
    expect(findPermissionRequirement(method, url)).toMatchObject({ permission, role });
  });

  it("knows nothing about other hosts", () => {
    expect(findPermissionRequirement("GET", "https://example.com/x")).toBeUndefined();
    expect(findPermissionRequirement("GET", "not a url")).toBeUndefined();
  });
});

describe("explainAzureError", () => {
  it("names the missing permission and the built-in role, wherever the 403 sits in the cause chain", () => {
    const wrapped = new Error("Step s03 failed", { cause: forbidden("PATCH", `https://management.azure.com${vault}?api-version=2026-02-01`) });
    const explained = explainAzureError(wrapped);
    expect(explained?.code).toBe("KW_CLI_E0012");
    expect(explained?.message).toBe(
      `Permission denied for enable-firewall: the signed-in identity lacks Microsoft.KeyVault/vaults/write (PATCH https://management.azure.com${vault}).`,
    );
    expect(explained?.hint).toBe("The least-privileged built-in role that grants it: Key Vault Contributor.");
    expect(explained?.exitCode).toBe(1);
  });

  it("says when the vault firewall, not a role, refused the call", () => {
    const explained = explainAzureError(forbidden("GET", "https://kv1.vault.azure.net/secrets/db", "ForbiddenByFirewall"));
    expect(explained?.message).toMatch(/^The Key Vault firewall refused this machine's address/);
  });

  it("leaves every other error alone", () => {
    expect(explainAzureError(Object.assign(new Error("Not found"), { statusCode: 404 }))).toBeUndefined();
    expect(explainAzureError("boom")).toBeUndefined();
  });
});
