import { describe, expect, it } from "vitest";
import { alertWarningCodes, parseAlert, parseAlerts, type KeyVaultAlert } from "../src/index.js";
import { fixture, fixtureText } from "./load-fixture.js";

const vaultId = "/subscriptions/6b1f1a3c-2d4e-4f5a-8b9c-0d1e2f3a4b5c/resourceGroups/prod-secrets-rg/providers/Microsoft.KeyVault/vaults/contoso-prod-kv";
const alertId =
  "/subscriptions/6b1f1a3c-2d4e-4f5a-8b9c-0d1e2f3a4b5c/resourceGroups/prod-secrets-rg/providers/Microsoft.Security/locations/westeurope/alerts/2516812345678901234_8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d";

const arm = parseAlert(fixtureText("cross-channel/arm.json"));
const exported = parseAlert(fixtureText("cross-channel/export.json"));
const row = parseAlert(fixture("cross-channel/log-analytics-row.json"));
const [tableRow] = parseAlerts(fixtureText("cross-channel/log-analytics-query.json"));
const graph = parseAlert(fixture("cross-channel/graph.json"));

/** The fields every channel must agree on. */
function core(alert: KeyVaultAlert) {
  return {
    systemAlertId: alert.systemAlertId,
    alertType: alert.alertType,
    kind: alert.kind,
    simulated: alert.simulated,
    displayName: alert.displayName,
    severity: alert.severity,
    status: alert.status,
    startTime: alert.startTime,
    endTime: alert.endTime,
    generatedTime: alert.generatedTime,
    tactics: alert.tactics,
    techniques: alert.techniques,
    vault: alert.vault,
    source: alert.source,
    operations: alert.operations,
    targets: alert.targets,
    reasons: alert.reasons,
    resultSignature: alert.resultSignature,
    entityTypes: alert.entities.map((entity) => entity.type),
  };
}

describe("cross-channel equivalence", () => {
  it("detects each channel from the shape", () => {
    expect([arm.channel, exported.channel, row.channel, tableRow!.channel, graph.channel]).toEqual([
      "arm",
      "export",
      "log-analytics",
      "log-analytics",
      "graph",
    ]);
  });

  it("ARM, export and Log Analytics yield the same kind, vault, source, operations and times", () => {
    expect(core(exported)).toEqual(core(arm));
    expect(core(row)).toEqual(core(arm));
    expect(core(tableRow!)).toEqual(core(arm));
  });

  it("Graph agrees on everything it carries", () => {
    expect(core(graph)).toEqual(core(arm));
  });

  it("normalizes the shared alert to these values", () => {
    expect(core(arm)).toEqual({
      systemAlertId: "2516812345678901234_8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d",
      alertType: "KV_SuspiciousIPAccess",
      kind: "KV_SuspiciousIPAccess",
      simulated: false,
      displayName: "Access from a suspicious IP address to a key vault",
      severity: "Medium",
      status: "Active",
      startTime: "2025-03-14T21:02:11.4410127Z",
      endTime: "2025-03-14T21:47:53.0069821Z",
      generatedTime: "2025-03-14T21:49:02.6627291Z",
      tactics: ["CredentialAccess"],
      techniques: ["T1555"],
      vault: {
        resourceId: vaultId,
        subscriptionId: "6b1f1a3c-2d4e-4f5a-8b9c-0d1e2f3a4b5c",
        resourceGroup: "prod-secrets-rg",
        name: "contoso-prod-kv",
        vaultUri: "https://contoso-prod-kv.vault.azure.net/",
      },
      source: {
        ipAddress: "203.0.113.77",
        ipLocation: "Amsterdam, North Holland, Netherlands (AS64496, Example Hosting BV)",
        objectId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
        applicationId: "9c8b7a65-4321-4fed-8cba-0123456789ab",
        clientInfo: "azsdk-python-keyvault-secrets/4.7.0 Python/3.11.4 (Linux-5.15.0-1041-azure-x86_64-with-glibc2.35)",
      },
      operations: {
        suspicious: [
          { operation: "SecretList", count: 3 },
          { operation: "SecretGet", count: 41 },
        ],
        last24Hours: [
          { operation: "SecretGet", count: 41 },
          { operation: "SecretList", count: 3 },
          { operation: "VaultGet", count: 2 },
          { operation: "Authentication", count: 12 },
        ],
      },
      targets: ["https://contoso-prod-kv.vault.azure.net/secrets/db-password", "https://contoso-prod-kv.vault.azure.net/secrets/storage-key"],
      reasons: ["The IP address is flagged by Microsoft Threat Intelligence as suspicious", "The user(objid) does not usually come from this IP"],
      resultSignature: "OK",
      entityTypes: ["azure-resource", "account", "ip", "cloud-application"],
    });
    // An app-only access: no UPN. Missing data stays missing.
    expect(arm.source).not.toHaveProperty("userPrincipalName");
  });

  it("gives the ARM alert id on ARM, and rebuilds it from the portal link on export and Log Analytics", () => {
    expect(arm.id).toBe(alertId);
    expect(exported.id).toBe(alertId);
    expect(row.id).toBe(alertId);
    expect(exported.warnings).toContainEqual(expect.objectContaining({ code: alertWarningCodes.derivedValue, path: "$.AlertUri" }));
    expect(graph.id).toBe("dc25168123456789012348a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d");
  });

  it("keeps each channel's extended properties raw, with their own key casing", () => {
    expect(arm.extendedProperties).toHaveProperty(["attacker IP Address"], "203.0.113.77");
    expect(exported.extendedProperties).toHaveProperty(["Attacker IP Address"], "203.0.113.77");
    expect(row.extendedProperties).toHaveProperty(["Attacker IP Address"], "203.0.113.77");
  });

  it("maps export Status New to Active and reports null confidence fields", () => {
    expect(exported.status).toBe("Active");
    const nullConfidence = exported.warnings.filter((warning) => warning.code === alertWarningCodes.nullConfidence);
    expect(nullConfidence.map((warning) => warning.path)).toEqual(["$.ConfidenceLevel", "$.ConfidenceScore"]);
    expect(row.warnings.some((warning) => warning.code === alertWarningCodes.nullConfidence)).toBe(true);
  });

  it("Graph evidence stays raw (original keys) and its user account feeds the source", () => {
    expect(graph.entities[2]!.properties).toHaveProperty("ipAddress", "203.0.113.77");
    expect(graph.entities[2]!.properties).toHaveProperty(["@odata.type"], "#microsoft.graph.security.ipEvidence");
    const input = fixture("cross-channel/graph.json");
    input.evidence[1].userAccount.userPrincipalName = "mallory@contoso.example";
    input.additionalData = {};
    input.evidence.splice(3, 1);
    const withUser = parseAlert(input);
    expect(withUser.source).toMatchObject({
      userPrincipalName: "mallory@contoso.example",
      objectId: "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
      ipAddress: "203.0.113.77",
    });
    expect(withUser.source).not.toHaveProperty("applicationId");
    expect(withUser.operations.suspicious).toEqual([]);
  });

  it("reports Log Analytics table rows with their JSON path", () => {
    expect(tableRow!.warnings.find((warning) => warning.code === alertWarningCodes.derivedValue)?.path).toBe("$.tables[0].rows[0].AlertLink");
  });
});
