import { describe, expect, it } from "vitest";
import {
  assessDiagnosticSettings,
  classifyOperation,
  criteriaFromAlert,
  formatImpactReport,
  impactFromAlert,
  parseObjectUri,
} from "../src/index.js";
import { ImpactAccumulator, readSummaryTable } from "../src/internal.js";
import { attackerIp, attackerOid, host, torAlert, v1, vaultName } from "./fixtures.js";

describe("impactFromAlert", () => {
  it("builds a report from the alert alone: target, its operations, the caller, the gap", () => {
    const report = impactFromAlert(torAlert(), { now: "2026-01-15T12:00:00Z" });
    expect(report).toMatchObject({
      schemaVersion: 1,
      basis: "alert",
      vault: { name: vaultName },
      window: { start: "2026-01-15T10:00:00.1234567Z", end: "2026-01-15T10:30:00Z" },
      alert: { systemAlertId: "2517-tor", alertType: "KV_TORAccess", simulated: false },
      generatedAt: "2026-01-15T12:00:00.000Z",
    });
    expect(report.objects).toEqual([
      expect.objectContaining({
        type: "secret",
        name: "db-password",
        uri: `${host}/secrets/db-password`,
        access: "value-read",
        succeeded: 3,
        sources: ["alert"],
        ipAddresses: [attackerIp],
      }),
    ]);
    expect(report.callers).toEqual([expect.objectContaining({ ipAddress: attackerIp, objectId: attackerOid, count: 5 })]);
    // SecretList names no object: it is reported, not pinned on the target.
    expect(report.unattributedOperations).toEqual([{ operation: "SecretList", count: 2, failed: 0, source: "alert" }]);
    expect(report.toRotate).toEqual([expect.objectContaining({ name: "db-password", reasonCode: "alert-target" })]);
    expect(report.coverage).toMatchObject({ status: "none", ingestion: { windowMayBeIncomplete: false } });
    expect(report.gaps.map((g) => g.code)).toEqual(["KW_IMPACT_W0009", "KW_IMPACT_W0010"]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it("treats operations as failed when the alert's result signature has no success", () => {
    const report = impactFromAlert(torAlert({ resultSignature: "Forbidden, Unauthorized" }));
    expect(report.objects[0]).toMatchObject({ access: "failed-attempts", succeeded: 0, failed: 3 });
    expect(report.toRotate).toEqual([]);
    expect(report.generatedAt).toBeUndefined();
  });

  it("keeps targets with no attributable operation as named-by-alert, and rotates them", () => {
    const report = impactFromAlert(
      torAlert({
        targets: [`${host}/secrets/a`, `${host}/secrets/b/${v1}`],
        operations: { suspicious: [{ operation: "SecretGet", count: 4 }], last24Hours: [] },
      }),
    );
    expect(report.objects.map((o) => [o.name, o.access, o.versions])).toEqual([
      ["a", "named-by-alert", []],
      ["b", "named-by-alert", [v1]],
    ]);
    expect(report.unattributedOperations).toEqual([{ operation: "SecretGet", count: 4, failed: 0, source: "alert" }]);
    expect(report.toRotate.map((r) => r.reasonCode)).toEqual(["alert-target", "alert-target"]);
  });

  it("notes ingestion lag when the alert window is too recent", () => {
    const report = impactFromAlert(torAlert(), { now: "2026-01-15T10:35:00Z" });
    expect(report.coverage.ingestion).toEqual({ maxLagMinutes: 10, windowMayBeIncomplete: true, completeAfter: "2026-01-15T10:40:00.000Z" });
  });
});

describe("criteriaFromAlert", () => {
  it("takes the vault, window and every caller field present", () => {
    expect(criteriaFromAlert(torAlert({ source: { ipAddress: attackerIp, userPrincipalName: "eve@contoso.com" } }))).toEqual({
      vault: { name: vaultName, resourceId: torAlert().vault.resourceId },
      window: { start: "2026-01-15T10:00:00.1234567Z", end: "2026-01-15T10:30:00Z" },
      callers: { ipAddresses: [attackerIp], objectIds: [], userPrincipalNames: ["eve@contoso.com"], applicationIds: [] },
    });
    expect(criteriaFromAlert(torAlert(), { callerFields: ["objectId"] }).callers).toEqual({
      ipAddresses: [],
      objectIds: [attackerOid],
      userPrincipalNames: [],
      applicationIds: [],
    });
  });
});

describe("ImpactAccumulator", () => {
  const columns = ["OperationName", "ObjectUri", "CallerIp", "CallerObjectId", "CallerUpn", "CallerAppId", "ResultType", "StatusCode", "EventCount", "FirstTime", "LastTime"].map(
    (name) => ({ name }),
  );

  it("aggregates per object, caller and operation; certificate keys follow their backing secret", () => {
    const accumulator = new ImpactAccumulator(`${vaultName}.vault.azure.net`);
    const t = (iso: string) => new Date(iso);
    readSummaryTable(
      {
        columnDescriptors: columns,
        rows: [
          ["SecretGet", `${host}/secrets/Cert1/${v1}`, "1.1.1.1", "o1", "", "", "Success", 200, 2, t("2026-01-15T10:00:00Z"), t("2026-01-15T10:01:00Z")],
          ["CertificateGet", `${host}/certificates/cert1/${v1}`, "1.1.1.1", "o1", "", "", "Success", 200, 1, t("2026-01-15T10:02:00Z"), t("2026-01-15T10:02:00Z")],
          ["SecretSet", `${host}/secrets/planted`, "1.1.1.1", "o1", "", "", "Success", 201, 1, t("2026-01-15T10:03:00Z"), t("2026-01-15T10:03:00Z")],
          ["KeyEncrypt", `${host}/keys/k1/${v1}`, "1.1.1.1", "o1", "", "", "Success", 200, 7, t("2026-01-15T10:04:00Z"), t("2026-01-15T10:05:00Z")],
          ["SecretGet", `${host}/secrets/locked`, "2.2.2.2", "", "", "app", "Forbidden", 403, 4, t("2026-01-15T10:06:00Z"), t("2026-01-15T10:09:00Z")],
          ["Authentication", "", "2.2.2.2", "", "", "", "Unauthorized", 401, 50, t("2026-01-15T10:06:00Z"), t("2026-01-15T10:09:00Z")],
          ["VaultAccessPolicyChangedEventGridNotification", "", "", "", "", "", "Success", 200, 1, t("2026-01-15T10:07:00Z"), t("2026-01-15T10:07:00Z")],
        ],
      },
      "AZKVAuditLogs",
      accumulator,
    );
    const built = accumulator.build({ logsAnswered: true });
    expect(built.objects.map((o) => [o.type, o.name, o.access])).toEqual([
      ["certificate", "cert1", "value-read"],
      ["secret", "Cert1", "value-read"],
      ["secret", "planted", "modified"],
      ["key", "k1", "metadata-only"],
      ["secret", "locked", "failed-attempts"],
    ]);
    expect(built.toRotate.map((r) => [r.type, r.name, r.reasonCode])).toEqual([
      ["certificate", "cert1", "certificate-private-key"],
      ["secret", "planted", "modified"],
    ]);
    expect(built.vaultChanges).toEqual([expect.objectContaining({ kind: "access-policy", succeeded: 1 })]);
    expect(built.events.AZKVAuditLogs).toBe(16); // the 50 challenge rows are noise
    expect(built.callers.map((c) => [c.ipAddress, c.count, c.failedCount])).toEqual([
      ["1.1.1.1", 11, 0],
      ["2.2.2.2", 4, 4],
      [undefined, 1, 0],
    ]);
  });

  it("counts every status of an operation, takes object times from its operations, and merges caller case only vault-wide", () => {
    const accumulator = new ImpactAccumulator(`${vaultName}.vault.azure.net`);
    const t = (iso: string) => new Date(`2026-01-15T${iso}Z`);
    const uri = `${host}/secrets/s1/${v1}`;
    readSummaryTable(
      {
        columnDescriptors: columns,
        rows: [
          ["SecretGet", uri, "1.1.1.1", "o1", "", "", "Success", 200, 2, t("10:05:00"), t("10:06:00")],
          ["SecretGet", uri, "1.1.1.1", "O1", "", "", "Forbidden", 403, 1, t("10:01:00"), t("10:02:00")],
          ["SecretGet", uri, "1.1.1.1", "o1", "", "", "NotFound", 404, 1, t("10:03:00"), t("10:03:00")],
          ["SecretGet", uri, "1.1.1.1", "o1", "", "", "Throttled", 429, 3, t("10:04:00"), t("10:09:00")],
          ["SecretGet", uri, "1.1.1.1", "o1", "", "", "Success", 200, 1, t("10:07:00"), t("10:07:00")],
          ["SecretList", uri, "1.1.1.1", "o1", "", "", "Success", "", 2, t("10:00:00"), t("10:00:00")],
        ],
      },
      "AZKVAuditLogs",
      accumulator,
    );
    const built = accumulator.build({ logsAnswered: true });
    const [object] = built.objects;
    expect(built.objects).toHaveLength(1);
    expect(object).toMatchObject({ succeeded: 5, failed: 5, firstTime: "2026-01-15T10:00:00.000Z", lastTime: "2026-01-15T10:09:00.000Z" });
    expect(object?.operations).toEqual([
      {
        operation: "SecretGet",
        succeeded: 3,
        failed: 5,
        statusCodes: { "200": 3, "403": 1, "404": 1, "429": 3 },
        firstTime: "2026-01-15T10:01:00.000Z",
        lastTime: "2026-01-15T10:09:00.000Z",
        sources: ["AZKVAuditLogs"],
      },
      {
        operation: "SecretList",
        succeeded: 2,
        failed: 0,
        statusCodes: { Success: 2 },
        firstTime: "2026-01-15T10:00:00.000Z",
        lastTime: "2026-01-15T10:00:00.000Z",
        sources: ["AZKVAuditLogs"],
      },
    ]);
    // Per object the identity columns are kept as logged; the vault-wide list merges them case-insensitively.
    expect(object?.callers.map((c) => [c.objectId, c.count, c.failedCount])).toEqual([
      ["o1", 9, 4],
      ["O1", 1, 1],
    ]);
    expect(built.callers.map((c) => [c.ipAddress, c.objectId, c.count, c.failedCount])).toEqual([["1.1.1.1", "o1", 10, 5]]);
    expect(accumulator.build({ logsAnswered: true })).toEqual(built);
  });
});

describe("helpers", () => {
  it("classifies operations", () => {
    expect(classifyOperation("SecretGet")).toMatchObject({ scope: "object", objectType: "secret", effect: "value-read" });
    expect(classifyOperation("KeyUnwrap")).toMatchObject({ objectType: "key", effect: "value-read" });
    expect(classifyOperation("CertificateGet")).toMatchObject({ objectType: "certificate", effect: "metadata" });
    expect(classifyOperation("SecretDelete")).toMatchObject({ effect: "modified", rotates: false });
    expect(classifyOperation("SecretSet")).toMatchObject({ effect: "modified", rotates: true });
    expect(classifyOperation("VaultPatch")).toEqual({ scope: "vault", change: "vault-properties" });
    expect(classifyOperation("VaultGet")).toEqual({ scope: "vault" });
    expect(classifyOperation("Authentication")).toEqual({ scope: "noise" });
  });

  it("parses object URIs", () => {
    expect(parseObjectUri(`${host}/secrets/db/${v1}?api-version=7.5`)).toEqual({
      host: `${vaultName}.vault.azure.net`,
      vaultName,
      type: "secret",
      name: "db",
      version: v1,
    });
    expect(parseObjectUri(`${host}/deletedcertificates/c1`)).toMatchObject({ type: "certificate", name: "c1" });
    expect(parseObjectUri(`${host}/keys/k1/${v1}/sign`)).toMatchObject({ type: "key", name: "k1", version: v1 });
    expect(parseObjectUri(`${host}/secrets`)).toBeUndefined();
    expect(parseObjectUri("not a uri")).toBeUndefined();
    expect(parseObjectUri(`${host}/secrets/bad name`)).toBeUndefined();
  });

  it("assesses diagnostic settings", () => {
    expect(
      assessDiagnosticSettings([
        { name: "a", workspaceId: "/w1", logs: [{ category: "AuditEvent", enabled: true }] },
        { name: "b", workspaceId: "/w1", logs: [{ categoryGroup: "allLogs", enabled: true }] },
        { name: "c", workspaceId: "/w2", logs: [{ category: "AuditEvent", enabled: false }] },
        { name: "d", storageAccountId: "/s", logs: [{ category: "AuditEvent", enabled: true }] },
      ]),
    ).toEqual({
      status: "checked",
      auditEventToWorkspace: true,
      workspaceResourceIds: ["/w1"],
      settingNames: ["a", "b"],
      otherDestinations: ["d: storage account"],
    });
  });
});

describe("formatImpactReport", () => {
  it("renders objects, rotation and gaps as text", () => {
    const text = formatImpactReport(impactFromAlert(torAlert()));
    expect(text).toContain(`Impact on vault ${vaultName} (alert KV_TORAccess 2517-tor)`);
    expect(text).toContain("Evidence: the alert only; log coverage none");
    expect(text).toMatch(/VALUE READ\s+secret\s+db-password {2}3 ok \/ 0 failed/);
    expect(text).toContain("secret db-password [alert-target]");
    expect(text).toContain("KW_IMPACT_W0009");
  });
});
