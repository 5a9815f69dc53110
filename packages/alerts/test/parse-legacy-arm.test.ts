import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AlertParseError, alertWarningCodes, parseAlert, parseAlerts, type KeyVaultAlert } from "../src/index.js";

const subscriptionId = "20ff7fc3-e762-44dd-bd96-b71116dcdc23";
const vaultId = `/subscriptions/${subscriptionId}/resourceGroups/kv-rg/providers/Microsoft.KeyVault/vaults/contoso-kv`;
const alertName = "2518770965529163669_F144EE95-A3E5-42DA-A279-967D115809AA";
const alertId = `/subscriptions/${subscriptionId}/resourceGroups/kv-rg/providers/Microsoft.Security/locations/westeurope/alerts/${alertName}`;

/** A Defender for Key Vault alert as api-version 2019-01-01 returns it (field set of the 2019-01-01 swagger). */
function legacyAlert(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: alertId,
    name: alertName,
    type: "Microsoft.Security/Locations/alerts",
    properties: {
      vendorName: "Microsoft",
      alertDisplayName: "Access from a suspicious IP address to a key vault",
      alertName: "KV_SuspiciousIPAccess",
      detectedTimeUtc: "2019-05-01T19:50:47.083Z",
      description: "A key vault has been successfully accessed by an IP that has been identified by Microsoft Threat Intelligence as a suspicious IP address.",
      remediationSteps: "Review the activity logs\r\nRotate the secrets",
      actionTaken: "Detected",
      reportedSeverity: "High",
      compromisedEntity: "contoso-kv",
      associatedResource: vaultId,
      subscriptionId,
      instanceId: "f144ee95-a3e5-42da-a279-967d115809aa",
      extendedProperties: {
        "attacker IP Address": "203.0.113.77",
        "attacker Object ID": "7f0c2a4e-1b9d-4c3e-8f6a-2d5e9b1c7a30",
        "application ID": "3e5c9a1f-2b7d-4e8c-9a6f-1d2c3b4a5e60",
        "suspicious Operations": "[SecretGet:3, SecretList:1]",
        resourceType: "Key Vault",
      },
      state: "Active",
      reportedTimeUtc: "2019-05-02T05:36:12.208Z",
      confidenceScore: 0.8,
      confidenceReasons: [{ type: "User", reason: "Some user reason" }],
      canBeInvestigated: true,
      isIncident: false,
      systemSource: "Azure",
      entities: [{ address: "203.0.113.77", type: "ip" }],
      ...overrides,
    },
  };
}

function codes(alert: KeyVaultAlert): string[] {
  return alert.warnings.map((warning) => warning.code);
}

describe("legacy ARM alert shape (2015-06-01-preview / 2019-01-01)", () => {
  it("parses instead of failing with 'Is this really an alert payload?', and names the legacy shape in a warning", () => {
    const alert = parseAlert(legacyAlert());
    expect(alert.channel).toBe("arm");
    const legacy = alert.warnings.filter((warning) => warning.code === alertWarningCodes.legacyShape);
    expect(legacy).toHaveLength(1);
    expect(legacy[0]!.path).toBe("$.properties.alertName");
    expect(legacy[0]!.message).toContain("2019-01-01");
    expect(legacy[0]!.message).toContain("2015-06-01-preview");
  });

  it("is detected without the resource type, as SOAR collectors store only the fields", () => {
    const { type: _type, ...withoutType } = legacyAlert();
    expect(parseAlert(withoutType).alertType).toBe("KV_SuspiciousIPAccess");
  });

  it("maps id and name (systemAlertId), falling back to instanceId", () => {
    const alert = parseAlert(legacyAlert());
    expect(alert.id).toBe(alertId);
    expect(alert.systemAlertId).toBe(alertName);
    const { name: _name, ...withoutName } = legacyAlert();
    expect(parseAlert(withoutName).systemAlertId).toBe("f144ee95-a3e5-42da-a279-967d115809aa");
  });

  it("maps alertName to alertType, kind and simulated", () => {
    expect(parseAlert(legacyAlert()).kind).toBe("KV_SuspiciousIPAccess");
    const simulated = parseAlert(legacyAlert({ alertName: "SIMULATED_KV_TORAccess" }));
    expect(simulated.alertType).toBe("SIMULATED_KV_TORAccess");
    expect(simulated.kind).toBe("KV_TORAccess");
    expect(simulated.simulated).toBe(true);
  });

  it("maps alertDisplayName and description", () => {
    const alert = parseAlert(legacyAlert());
    expect(alert.displayName).toBe("Access from a suspicious IP address to a key vault");
    expect(alert.description.startsWith("A key vault has been successfully accessed")).toBe(true);
  });

  it("maps reportedSeverity, including 2015's Information and Silent", () => {
    expect(parseAlert(legacyAlert()).severity).toBe("High");
    expect(parseAlert(legacyAlert({ reportedSeverity: "Low" })).severity).toBe("Low");
    expect(parseAlert(legacyAlert({ reportedSeverity: "Information" })).severity).toBe("Informational");
    const silent = parseAlert(legacyAlert({ reportedSeverity: "Silent" }));
    expect(silent.severity).toBe("Informational");
    expect(silent.warnings.find((warning) => warning.code === alertWarningCodes.unknownEnumValue)?.path).toBe("$.properties.reportedSeverity");
  });

  it("maps state to status", () => {
    expect(parseAlert(legacyAlert()).status).toBe("Active");
    expect(parseAlert(legacyAlert({ state: "Dismissed" })).status).toBe("Dismissed");
    expect(parseAlert(legacyAlert({ state: "Resolved" })).status).toBe("Resolved");
    const odd = parseAlert(legacyAlert({ state: "Blocked" }));
    expect(odd.status).toBe("Active");
    expect(odd.warnings.find((warning) => warning.code === alertWarningCodes.unknownEnumValue)?.path).toBe("$.properties.state");
  });

  it("maps detectedTimeUtc to startTime and endTime, reportedTimeUtc to generatedTime", () => {
    const alert = parseAlert(legacyAlert());
    expect(alert.startTime).toBe("2019-05-01T19:50:47.083Z");
    expect(alert.endTime).toBe("2019-05-01T19:50:47.083Z");
    expect(alert.generatedTime).toBe("2019-05-02T05:36:12.208Z");
  });

  it("maps associatedResource to the vault", () => {
    expect(parseAlert(legacyAlert()).vault).toEqual({
      resourceId: vaultId,
      subscriptionId,
      resourceGroup: "kv-rg",
      name: "contoso-kv",
      vaultUri: "https://contoso-kv.vault.azure.net/",
    });
    const { associatedResource: _resource, ...rest } = legacyAlert().properties as Record<string, unknown>;
    const error = (() => {
      try {
        parseAlert({ id: alertId, name: alertName, properties: rest });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AlertParseError);
    expect((error as AlertParseError).path).toBe("$.properties.associatedResource");
  });

  it("checks subscriptionId against associatedResource", () => {
    expect(codes(parseAlert(legacyAlert()))).not.toContain(alertWarningCodes.invalidOptionalField);
    const other = parseAlert(legacyAlert({ subscriptionId: "11111111-2222-3333-4444-555555555555" }));
    expect(other.vault.subscriptionId).toBe(subscriptionId);
    expect(other.warnings.find((warning) => warning.code === alertWarningCodes.invalidOptionalField)?.path).toBe("$.properties.subscriptionId");
  });

  it("maps compromisedEntity, entities and extendedProperties like the current shape", () => {
    const alert = parseAlert(legacyAlert());
    expect(alert.source.ipAddress).toBe("203.0.113.77");
    expect(alert.source.objectId).toBe("7f0c2a4e-1b9d-4c3e-8f6a-2d5e9b1c7a30");
    expect(alert.source.applicationId).toBe("3e5c9a1f-2b7d-4e8c-9a6f-1d2c3b4a5e60");
    expect(alert.operations.suspicious).toEqual([
      { operation: "SecretGet", count: 3 },
      { operation: "SecretList", count: 1 },
    ]);
    expect(alert.entities.map((entity) => entity.type)).toEqual(["ip"]);
    expect(alert.extendedProperties["attacker IP Address"]).toBe("203.0.113.77");
    // compromisedEntity names the vault when the resource id is not a vault's.
    const subscriptionOnly = parseAlert(legacyAlert({ associatedResource: `/subscriptions/${subscriptionId}` }));
    expect(subscriptionOnly.vault.name).toBe("contoso-kv");
  });

  it("leaves the fields the model does not carry out, without warnings about them", () => {
    const alert = parseAlert(legacyAlert());
    const json = JSON.stringify(alert);
    for (const field of ["remediationSteps", "actionTaken", "canBeInvestigated", "confidenceReasons", "systemSource", "vendorName"]) {
      expect(json).not.toContain(field);
    }
    expect(alert.tactics).toEqual([]);
    expect(alert.portalUrl).toBeUndefined();
  });

  it("parses a legacy list response and its JSON text", () => {
    const list = { value: [legacyAlert(), legacyAlert({ alertName: "KV_TORAccess" })] };
    expect(parseAlerts(list).map((alert) => alert.kind)).toEqual(["KV_SuspiciousIPAccess", "KV_TORAccess"]);
    expect(parseAlert(JSON.stringify(legacyAlert())).kind).toBe("KV_SuspiciousIPAccess");
  });

  it("still refuses an object that is not an alert with the typed error", () => {
    for (const input of [{ properties: { state: "Active", reportedSeverity: "High" } }, { properties: { alertName: 42 } }, { name: "x", properties: {} }]) {
      let caught: unknown;
      try {
        parseAlert(input);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(AlertParseError);
    }
  });
});

/** The same alert in the current (2022-01-01) shape. */
function currentShape(legacy: Record<string, unknown>): Record<string, unknown> {
  const p = legacy.properties as Record<string, unknown>;
  return {
    id: legacy.id,
    name: legacy.name,
    type: "Microsoft.Security/Locations/alerts",
    properties: {
      systemAlertId: legacy.name,
      alertType: p.alertName,
      alertDisplayName: p.alertDisplayName,
      description: p.description,
      severity: p.reportedSeverity,
      status: p.state,
      startTimeUtc: p.detectedTimeUtc,
      endTimeUtc: p.detectedTimeUtc,
      timeGeneratedUtc: p.reportedTimeUtc,
      resourceIdentifiers: [{ type: "AzureResource", azureResourceId: p.associatedResource }],
      compromisedEntity: p.compromisedEntity,
      entities: p.entities,
      extendedProperties: p.extendedProperties,
    },
  };
}

/** The model without what legitimately differs: the warnings' paths and the legacy-shape warning itself. */
function comparable(alert: KeyVaultAlert): unknown {
  return { ...alert, warnings: alert.warnings.map((warning) => warning.code).filter((code) => code !== alertWarningCodes.legacyShape).sort() };
}

describe("legacy ARM shape, property", () => {
  const guid = fc.uuid();
  const isoTime = fc
    .date({ min: new Date("2015-06-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true })
    .map((date) => date.toISOString());
  const vaultName = fc.stringMatching(/^[a-z][a-z0-9-]{1,20}[a-z0-9]$/).filter((name) => !name.includes("--"));
  const ipv4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((parts) => parts.join("."));
  const operation = fc.constantFrom("SecretGet", "SecretList", "KeyGet", "VaultGet", "KeyDecrypt");

  const legacyArbitrary = fc
    .record({
      subscription: guid,
      group: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_-]{0,15}$/),
      vault: vaultName,
      ticks: fc.bigInt({ min: 10n ** 18n, max: 10n ** 19n - 1n }),
      instance: guid,
      alertName: fc.constantFrom("KV_SuspiciousIPAccess", "KV_TORAccess", "SIMULATED_KV_ListGetAnomaly", "KV_AppAnomaly", "VM_Something"),
      displayName: fc.string({ minLength: 1, maxLength: 40 }).filter((value) => value.trim() !== ""),
      description: fc.string({ maxLength: 60 }),
      severity: fc.constantFrom("High", "Medium", "Low", "Informational", "Information"),
      state: fc.constantFrom("Active", "Dismissed", "Resolved"),
      detected: isoTime,
      reported: isoTime,
      ip: fc.option(ipv4, { nil: undefined }),
      objectId: fc.option(guid, { nil: undefined }),
      operations: fc.array(fc.tuple(operation, fc.integer({ min: 1, max: 500 })), { maxLength: 4 }),
      extras: fc.record({ vendorName: fc.constant("Microsoft"), confidenceScore: fc.double({ min: 0, max: 1, noNaN: true }), canBeInvestigated: fc.boolean() }),
    })
    .map((g) => {
      const name = `${g.ticks}_${g.instance.toUpperCase()}`;
      const extended: Record<string, unknown> = { resourceType: "Key Vault" };
      if (g.ip !== undefined) extended["attacker IP Address"] = g.ip;
      if (g.objectId !== undefined) extended["attacker Object ID"] = g.objectId;
      if (g.operations.length > 0) extended["suspicious Operations"] = `[${g.operations.map(([op, count]) => `${op}:${count}`).join(", ")}]`;
      return {
        id: `/subscriptions/${g.subscription}/resourceGroups/${g.group}/providers/Microsoft.Security/locations/westeurope/alerts/${name}`,
        name,
        type: "Microsoft.Security/Locations/alerts",
        properties: {
          alertName: g.alertName,
          alertDisplayName: g.displayName,
          description: g.description,
          reportedSeverity: g.severity,
          state: g.state,
          detectedTimeUtc: g.detected,
          reportedTimeUtc: g.reported,
          associatedResource: `/subscriptions/${g.subscription}/resourceGroups/${g.group}/providers/Microsoft.KeyVault/vaults/${g.vault}`,
          compromisedEntity: g.vault,
          subscriptionId: g.subscription,
          instanceId: g.instance,
          entities: g.ip === undefined ? [] : [{ address: g.ip, type: "ip" }],
          extendedProperties: extended,
          ...g.extras,
        },
      };
    });

  it("a generated legacy alert parses to the same model as the equivalent current-shape alert", () => {
    fc.assert(
      fc.property(legacyArbitrary, (legacy) => {
        const fromLegacy = parseAlert(legacy);
        const fromCurrent = parseAlert(currentShape(legacy));
        expect(codes(fromLegacy)).toContain(alertWarningCodes.legacyShape);
        expect(comparable(fromLegacy)).toEqual(comparable(fromCurrent));
      }),
      { numRuns: 300 },
    );
  });
});

