import { describe, expect, it } from "vitest";
import {
  AlertParseError,
  alertCatalog,
  getAlertTypeInfo,
  getExtendedProperty,
  parseAlert,
  parseAlerts,
  parseOperationCounts,
  parseUsDateTime,
  vaultUriFromName,
} from "../src/index.js";
import { fixtureText } from "./load-fixture.js";

/** The values the README shows, checked so the README cannot drift from the code. */
describe("README examples", () => {
  it("parseAlert on an exported alert", () => {
    const alert = parseAlert(fixtureText("cross-channel/export.json"));
    expect(alert).toMatchObject({
      kind: "KV_SuspiciousIPAccess",
      simulated: false,
      channel: "export",
      status: "Active",
      startTime: "2025-03-14T21:02:11.4410127Z",
      vault: { vaultUri: "https://contoso-prod-kv.vault.azure.net/" },
      source: { ipAddress: "203.0.113.77" },
      targets: ["https://contoso-prod-kv.vault.azure.net/secrets/db-password", "https://contoso-prod-kv.vault.azure.net/secrets/storage-key"],
    });
    expect(alert.source.ipLocation).toMatch(/^Amsterdam, North Holland, Netherlands \(AS64496/);
    expect(alert.operations.suspicious[0]).toEqual({ operation: "SecretList", count: 3 });
    expect(alert.reasons[0]).toBe("The IP address is flagged by Microsoft Threat Intelligence as suspicious");
    expect(alert.warnings).toContainEqual({ code: "KW_ALERTS_W0007", path: "$.ConfidenceLevel", message: expect.stringMatching(/^ConfidenceLevel is null/) });
    expect(getExtendedProperty(alert.extendedProperties, "attacker IP Address")).toBe("203.0.113.77");
  });

  it("the AlertParseError example", () => {
    try {
      parseAlerts('{"value":[{"properties":{"alertType":7}}]}');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AlertParseError);
      expect(error).toMatchObject({ code: "KW_ALERTS_E0005", channel: "arm", path: "$.value[0].properties.alertType" });
    }
  });

  it("catalog and helpers", () => {
    expect(getAlertTypeInfo("SIMULATED_KV_TORAccess")?.kind).toBe("KV_TORAccess");
    expect(getAlertTypeInfo("KV_DeniedAccountVolumeAnomaly")).toBe(alertCatalog.KV_AccountVolumeAccessDeniedAnomaly);
    expect(alertCatalog.KV_UserAccessDeniedAnomaly).toMatchObject({ severity: "Low", tactics: ["InitialAccess", "Discovery"], access: "denied", subject: "user" });
    expect(vaultUriFromName("Sample-KV")).toBe("https://sample-kv.vault.azure.net/");
    expect(vaultUriFromName("kv1", { suffix: "vault.azure.cn" })).toBe("https://kv1.vault.azure.cn/");
    expect(parseOperationCounts("[SecretGet:3, SecretList:5]")).toEqual([
      { operation: "SecretGet", count: 3 },
      { operation: "SecretList", count: 5 },
    ]);
    expect(parseUsDateTime("09/08/2022 07:51:17")).toBe("2022-09-08T07:51:17Z");
  });
});
