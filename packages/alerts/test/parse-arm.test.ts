import { describe, expect, it } from "vitest";
import { AlertParseError, alertWarningCodes, parseAlert, parseAlerts, resourceIdEquals } from "../src/index.js";
import { fixture, fixtureText } from "./load-fixture.js";

const sampleVaultId = "/SUBSCRIPTIONS/0f907ea4-bc8b-4c11-9d7e-805c2fd144fb/RESOURCEGROUPS/Sample-RG/providers/microsoft.keyvault/vaults/Sample-KV";

describe("ARM channel: the XSOAR Key Vault sample bundle", () => {
  const alerts = parseAlerts(fixtureText("kv-simulated-alerts.xsoar-excerpt.json"));

  it("parses all five simulated Key Vault alerts in order, folding SIMULATED_", () => {
    expect(alerts.map((alert) => alert.kind)).toEqual([
      "KV_OperationVolumeAnomaly",
      "KV_AccountVolumeAnomaly",
      "KV_ListGetAnomaly",
      "KV_PutGetAnomaly",
      "KV_TORAccess",
    ]);
    for (const alert of alerts) {
      expect(alert.channel).toBe("arm");
      expect(alert.simulated).toBe(true);
      expect(alert.alertType.startsWith("SIMULATED_KV_")).toBe(true);
      expect(alert.severity).toBe("Medium");
      expect(alert.status).toBe("Active");
      expect(alert.id).toMatch(/^\/subscriptions\/0f907ea4-.*\/locations\/centralus\/alerts\//);
      expect(alert.id.endsWith(alert.systemAlertId)).toBe(true);
      expect(alert.displayName.startsWith("[SAMPLE ALERT] ")).toBe(true);
      expect(alert.description.startsWith("THIS IS A SAMPLE ALERT:")).toBe(true);
      expect(alert.entities.map((entity) => entity.type)).toEqual(["azure-resource", "account", "ip"]);
      expect(alert.targets).toEqual(["https://sample.vault.azure.net/secrets/sample"]);
      expect(alert.portalUrl).toContain(alert.systemAlertId);
    }
  });

  it("normalizes the vault from the mixed-case resource id, keeping its spelling", () => {
    const [alert] = alerts;
    expect(alert!.vault).toEqual({
      resourceId: sampleVaultId,
      subscriptionId: "0f907ea4-bc8b-4c11-9d7e-805c2fd144fb",
      resourceGroup: "Sample-RG",
      name: "Sample-KV",
      vaultUri: "https://sample-kv.vault.azure.net/",
    });
    expect(resourceIdEquals(alert!.vault.resourceId, "/subscriptions/0f907ea4-bc8b-4c11-9d7e-805c2fd144fb/resourceGroups/sample-rg/providers/Microsoft.KeyVault/vaults/sample-kv")).toBe(true);
    expect(alert!.warnings.some((warning) => warning.code === alertWarningCodes.nonCanonicalResourceId)).toBe(true);
  });

  it("keeps 7-digit timestamps verbatim and says so once", () => {
    const [alert] = alerts;
    expect(alert!.startTime).toBe("2022-09-08T07:51:17.1811182Z");
    expect(alert!.endTime).toBe("2022-09-08T07:51:17.1811182Z");
    expect(alert!.generatedTime).toBe("2022-09-08T07:51:23.9852762Z");
    expect(alert!.warnings.filter((warning) => warning.code === alertWarningCodes.subMillisecondTime)).toHaveLength(1);
  });

  it("treats 00.00.00.00 and zero GUIDs as placeholders, not values", () => {
    for (const alert of alerts) {
      expect(alert.source.ipAddress).toBeUndefined();
      expect(alert.source.objectId).toBeUndefined();
      expect(alert.source.applicationId).toBeUndefined();
      expect(alert.source.ipLocation).toBeUndefined();
      expect(alert.warnings.filter((warning) => warning.code === alertWarningCodes.placeholderValue).length).toBeGreaterThanOrEqual(3);
    }
    expect(alerts[0]!.warnings).toContainEqual(
      expect.objectContaining({ code: alertWarningCodes.placeholderValue, path: '$.value[0].properties.extendedProperties["attacker IP Address"]' }),
    );
  });

  it("parses operation counts, reasons, result signature and client info", () => {
    const listGet = alerts[2]!;
    expect(listGet.operations.suspicious).toEqual([
      { operation: "SecretGet", count: 3 },
      { operation: "SecretList", count: 5 },
    ]);
    expect(listGet.operations.last24Hours).toEqual([
      { operation: "Authentication", count: 1 },
      { operation: "SecretGet", count: 3 },
      { operation: "VaultGet", count: 1 },
      { operation: "SecretList", count: 5 },
    ]);
    expect(listGet.reasons).toHaveLength(15);
    expect(listGet.reasons[0]).toBe("The application(appid) does not usually access this vault");
    expect(listGet.reasons.every((reason) => !reason.includes("Note:"))).toBe(true);
    expect(listGet.resultSignature).toBe("OK");
    expect(listGet.source.clientInfo).toBe(
      "FxVersion/4.8.4075.0 OSName/Windows10Enterprise OSVersion/6.3.18363 Microsoft.Azure.KeyVault.KeyVaultClient/3.0.0.1",
    );
    // The REST sample's client info ends with a dangling ", ".
    expect(alerts[0]!.source.clientInfo).toBe("Microsoft.Azure.Management.Resources.ResourceManagementClient/2.0.0.0");
    const tor = alerts[4]!;
    expect(tor.resultSignature).toBe("Not Found, Unauthorized");
    expect(tor.reasons).toEqual([
      "The Key Vault has been accessed by someone using the TOR IP anonymization system to hide their true source location.",
    ]);
    expect(tor.operations.last24Hours).toContainEqual({ operation: "Authentication", count: 777440 });
  });

  it("keeps extended properties raw and tactics empty for intent Unknown", () => {
    const [alert] = alerts;
    expect(alert!.extendedProperties["attacker IP Address"]).toBe("00.00.00.00");
    expect(alert!.extendedProperties.resourceType).toBe("Key Vault");
    expect(alert!.tactics).toEqual([]);
    expect(alert!.techniques).toEqual([]);
  });

  it("accepts the object, its JSON text and a single alert", () => {
    const list = fixture("kv-simulated-alerts.xsoar-excerpt.json");
    expect(parseAlerts(list)).toEqual(alerts);
    expect(parseAlert(list.value[4])).toEqual({ ...alerts[4]!, warnings: alerts[4]!.warnings.map((w) => ({ ...w, path: w.path.replace("$.value[4]", "$") })) });
    expect(parseAlert(JSON.stringify(list.value[4])).kind).toBe("KV_TORAccess");
  });

  it("rejects a list passed to parseAlert with a hint", () => {
    expect(() => parseAlert(fixture("kv-simulated-alerts.xsoar-excerpt.json"))).toThrowError(/use parseAlerts/);
  });
});

describe("ARM channel: the 2022-01-01 Alerts API examples", () => {
  const examples = [
    "GetAlertResourceGroupLocation_example.json",
    "GetAlertSubscriptionLocation_example.json",
    "GetAlertsResourceGroupLocation_example.json",
    "GetAlertsResourceGroup_example.json",
    "GetAlertsSubscription_example.json",
    "GetAlertsSubscriptionsLocation_example.json",
  ];

  it.each(examples)("%s parses as non-Key Vault alerts with every field normalized", (name) => {
    const body = fixture(name).responses["200"].body;
    const alerts = parseAlerts(body);
    expect(alerts.length).toBe(Array.isArray(body.value) ? body.value.length : 1);
    for (const alert of alerts) {
      expect(alert.channel).toBe("arm");
      expect(alert.alertType).toMatch(/^VM_/);
      expect(alert.kind).toBe("unknown");
      expect(alert.simulated).toBe(false);
      expect(alert.status).toBe("Active");
      expect(alert.tactics).toEqual(["Execution"]);
      expect(alert.techniques).toEqual(["T1059", "T1053", "T1072", "T1059.001", "T1059.006", "T1053.002"]);
      expect(alert.vault.subscriptionId).toBe("20ff7fc3-e762-44dd-bd96-b71116dcdc23");
      expect(alert.vault.resourceGroup).toBe("myRg1");
      expect(alert.vault.name).toBe("vm1");
      expect(alert.vault.vaultUri).toBeUndefined();
      expect(alert.warnings.map((warning) => warning.code)).toContain(alertWarningCodes.notKeyVaultAlert);
    }
    const eicar = alerts[0]!;
    expect(eicar.alertType).toBe("VM_EICAR");
    expect(eicar.severity).toBe("High");
    expect(eicar.startTime).toBe("2020-02-22T00:00:00.0000000Z");
    expect(eicar.generatedTime).toBe("2020-02-23T13:47:58.0000000Z");
    expect(eicar.source.ipAddress).toBe("192.0.2.1");
    expect(eicar.source.ipLocation).toBe("sonning, wokingham, GB (AS6584)");
    expect(eicar.extendedProperties).toEqual({ Property1: "Property1 information" });
    if (alerts.length > 1) {
      const screenSaver = alerts[1]!;
      expect(screenSaver.alertType).toBe("VM_SuspiciousScreenSaver");
      expect(screenSaver.severity).toBe("Medium");
      expect(screenSaver.startTime).toBe("2019-05-07T13:51:45.0045913Z");
      expect(screenSaver.entities.map((entity) => entity.type)).toEqual(["host", "account", "file", "process", "file", "process"]);
      // Entity keys keep their inconsistent casing (azureID, omsAgentID, OsVersion).
      expect(screenSaver.entities[0]!.properties).toHaveProperty("OsVersion", null);
      expect(screenSaver.source.ipAddress).toBeUndefined();
    }
  });

  it("keyVaultOnly rejects a single non-Key Vault alert and filters lists", () => {
    const body = fixture("GetAlertSubscriptionLocation_example.json").responses["200"].body;
    expect(() => parseAlert(body, { keyVaultOnly: true })).toThrowError(AlertParseError);
    try {
      parseAlert(body, { keyVaultOnly: true });
    } catch (error) {
      expect(error).toMatchObject({ code: "KW_ALERTS_E0007", channel: "arm", path: "$.properties.alertType" });
    }
    const list = fixture("GetAlertsSubscription_example.json").responses["200"].body;
    expect(parseAlerts(list, { keyVaultOnly: true })).toEqual([]);
  });

  it("derives no vault URI for another cloud unless asked, and uses the suffix when asked", () => {
    const list = fixture("kv-simulated-alerts.xsoar-excerpt.json");
    expect(parseAlert(list.value[0], { vaultDnsSuffix: "vault.azure.cn" }).vault.vaultUri).toBe("https://sample-kv.vault.azure.cn/");
  });
});
