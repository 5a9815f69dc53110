import { describe, expect, it } from "vitest";
import { alertWarningCodes, parseAlert } from "../src/index.js";
import { fixture } from "./load-fixture.js";

describe("real-data oddities parse with warnings, not errors", () => {
  const alert = parseAlert(fixture("export-simulated-sanitised.json"));
  const codes = alert.warnings.map((warning) => warning.code);

  it("reads the sanitised simulated export message", () => {
    expect(alert.channel).toBe("export");
    expect(alert.kind).toBe("KV_ListGetAnomaly");
    expect(alert.simulated).toBe(true);
    expect(alert.severity).toBe("Medium");
    expect(alert.status).toBe("Active");
    expect(alert.systemAlertId).toBe("dce2adb7-5b0a-4f1e-9d2c-1a2b3c4d5e6f");
    expect(alert.id).toBe("/subscriptions/1111/resourceGroups/SAMPLE-RG/providers/Microsoft.Security/locations/centralus/alerts/dce2adb7-5b0a-4f1e-9d2c-1a2b3c4d5e6f");
    expect(alert.vault).toEqual({
      resourceId: "/SUBSCRIPTIONS/1111/RESOURCEGROUPS/SAMPLE-RG/providers/microsoft.keyvault/vaults/Sample-KV",
      subscriptionId: "1111",
      resourceGroup: "SAMPLE-RG",
      name: "Sample-KV",
      vaultUri: "https://sample-kv.vault.azure.net/",
    });
    expect(alert.reasons).toEqual(["The application(appid) does not usually access this vault", "This vault does not usually have this operation"]);
  });

  it("warns about the short subscription id, casing, 7-digit fractions and null confidence", () => {
    expect(codes).toContain(alertWarningCodes.malformedSubscriptionId);
    expect(codes).toContain(alertWarningCodes.nonCanonicalResourceId);
    expect(codes).toContain(alertWarningCodes.subMillisecondTime);
    expect(codes).toContain(alertWarningCodes.nullConfidence);
  });

  it("resolves $ref graphs: nested refs, bare top-level refs, dangling refs", () => {
    expect(alert.entities.map((entity) => entity.type)).toEqual(["azure-resource", "account", "ip", "host", "iot-thing"]);
    const account = alert.entities[1]!.properties as { Host: { HostName: string; IpAdresses: { Address: string }[] } };
    expect(account.Host.HostName).toBe("build-agent-7");
    expect(account.Host.IpAdresses[0]!.Address).toBe("00.00.00.00");
    expect(alert.warnings).toContainEqual(expect.objectContaining({ code: alertWarningCodes.unresolvedReference, path: "$.Entities[5]" }));
    expect(alert.warnings).toContainEqual(expect.objectContaining({ code: alertWarningCodes.unknownEntityType, path: "$.Entities[6]" }));
  });

  it("the resolved entities are plain trees (JSON-serialisable)", () => {
    expect(() => JSON.stringify(alert.entities)).not.toThrow();
  });

  it("skips malformed operation counts with a warning", () => {
    expect(alert.operations.last24Hours).toEqual([
      { operation: "Authentication", count: 1 },
      { operation: "SecretGet", count: 3 },
      { operation: "VaultGet", count: 1 },
      { operation: "SecretList", count: 5 },
    ]);
    expect(alert.warnings).toContainEqual(
      expect.objectContaining({ code: alertWarningCodes.invalidOptionalField, path: '$.ExtendedProperties["All vault operations in last 24 hours"]' }),
    );
  });

  it("treats placeholder ids and IPs as missing", () => {
    expect(alert.source).toEqual({});
  });

  it("survives a reference cycle", () => {
    const input = fixture("export-simulated-sanitised.json");
    input.Entities = [
      { $id: "1", Type: "host", Peer: { $ref: "2" } },
      { $id: "2", Type: "host", Peer: { $ref: "1" } },
    ];
    const cyclic = parseAlert(input);
    expect(cyclic.entities).toHaveLength(2);
    expect(() => JSON.stringify(cyclic.entities)).not.toThrow();
  });

  it("unknown severity, status and KV_ type fall back with warnings", () => {
    const input = fixture("export-simulated-sanitised.json");
    input.AlertType = "KV_BrandNewDetection";
    input.Severity = "Critical";
    input.Status = "Unknown";
    input.Intent = "InitialAccess, Discovery, MadeUpTactic";
    const odd = parseAlert(input);
    expect(odd.kind).toBe("unknown");
    expect(odd.simulated).toBe(false);
    expect(odd.severity).toBe("Medium");
    expect(odd.status).toBe("Active");
    expect(odd.tactics).toEqual(["InitialAccess", "Discovery", "MadeUpTactic"]);
    const oddCodes = odd.warnings.map((warning) => warning.code);
    expect(oddCodes).toContain(alertWarningCodes.unknownAlertType);
    expect(oddCodes.filter((code) => code === alertWarningCodes.unknownEnumValue)).toHaveLength(3);
  });

  it("folds the release-notes alias and ignores case", () => {
    const input = fixture("export-simulated-sanitised.json");
    input.AlertType = "kv_deniedaccountvolumeanomaly";
    expect(parseAlert(input).kind).toBe("KV_AccountVolumeAccessDeniedAnomaly");
  });

  it("falls back to the extended properties' US-format times and converts offsets", () => {
    const input = fixture("export-simulated-sanitised.json");
    delete input.StartTimeUtc;
    delete input.EndTimeUtc;
    input.TimeGenerated = "2024-01-09T12:15:07.21+02:00";
    const odd = parseAlert(input);
    expect(odd.startTime).toBe("2024-01-09T10:15:02Z");
    expect(odd.endTime).toBe("2024-01-09T10:15:02Z");
    expect(odd.generatedTime).toBe("2024-01-09T10:15:07.21Z");
    expect(odd.warnings.map((warning) => warning.code)).toContain(alertWarningCodes.convertedTime);
  });
});

describe("enum values that name Object.prototype members", () => {
  it.each(["constructor", "toString", "__proto__", "hasOwnProperty"])("severity and status %s are unknown values, never prototype members", (value) => {
    const raw = structuredClone(fixture("export-simulated-sanitised.json")) as Record<string, unknown>;
    raw["Severity"] = value;
    raw["Status"] = value;
    const alert = parseAlert(raw);
    expect(typeof alert.severity).toBe("string");
    expect(["High", "Medium", "Low", "Informational"]).toContain(alert.severity);
    expect(["Active", "InProgress", "Resolved", "Dismissed"]).toContain(alert.status);
  });
});
