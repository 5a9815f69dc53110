import { describe, expect, it } from "vitest";
import { parseAlert, parseAlerts, toOcsf } from "../src/index.js";
import { fixture, fixtureText } from "./load-fixture.js";

describe("toOcsf", () => {
  const alert = parseAlert(fixture("cross-channel/arm.json"));
  const finding = toOcsf(alert);

  it("is an OCSF Detection Finding (class 2004, category Findings)", () => {
    expect(finding).toMatchObject({
      class_uid: 2004,
      class_name: "Detection Finding",
      category_uid: 2,
      category_name: "Findings",
      activity_id: 1,
      activity_name: "Create",
      type_uid: 200401,
      severity_id: 3,
      severity: "Medium",
      status_id: 1,
      status: "New",
      message: "Access from a suspicious IP address to a key vault",
    });
  });

  it("keeps full-precision times in the _dt twins and epoch milliseconds in the numeric fields", () => {
    expect(finding.time_dt).toBe("2025-03-14T21:49:02.6627291Z");
    expect(finding.time).toBe(Date.UTC(2025, 2, 14, 21, 49, 2, 662));
    expect(finding.finding_info.first_seen_time_dt).toBe("2025-03-14T21:02:11.4410127Z");
    expect(finding.finding_info.last_seen_time).toBe(Date.UTC(2025, 2, 14, 21, 47, 53, 6));
  });

  it("maps the detection, MITRE tactic and technique", () => {
    expect(finding.finding_info).toMatchObject({
      uid: alert.systemAlertId,
      types: ["KV_SuspiciousIPAccess"],
      analytic: { uid: "KV_SuspiciousIPAccess", name: "Access from a suspicious IP address to a key vault", type_id: 1 },
      attacks: [{ tactic: { name: "Credential Access", uid: "TA0006" }, technique: { uid: "T1555" }, version: "v9" }],
      src_url: alert.portalUrl,
    });
  });

  it("maps the vault, subscription, source and targets to resources, cloud, evidences and observables", () => {
    expect(finding.cloud).toEqual({ provider: "Azure", account: { uid: "6b1f1a3c-2d4e-4f5a-8b9c-0d1e2f3a4b5c", type: "Azure Subscription" } });
    expect(finding.resources).toEqual([
      {
        uid: alert.vault.resourceId,
        name: "contoso-prod-kv",
        type: "Microsoft.KeyVault/vaults",
        group: { name: "prod-secrets-rg" },
        data: { vault_uri: "https://contoso-prod-kv.vault.azure.net/" },
      },
    ]);
    expect(finding.evidences[0]).toEqual({
      src_endpoint: { ip: "203.0.113.77" },
      actor: { user: { uid: "3f2504e0-4f89-41d3-9a0c-0305e82c3301" }, app_uid: "9c8b7a65-4321-4fed-8cba-0123456789ab" },
      data: { ip_location: "Amsterdam, North Holland, Netherlands (AS64496, Example Hosting BV)", user_agent: alert.source.clientInfo },
    });
    expect(finding.evidences.slice(1)).toEqual([
      { api: { operation: "SecretList" }, data: { count: 3 } },
      { api: { operation: "SecretGet" }, data: { count: 41 } },
    ]);
    expect(finding.observables.map((observable) => [observable.type_id, observable.value])).toEqual([
      [2, "203.0.113.77"],
      [16, alert.source.clientInfo],
      [10, alert.vault.resourceId],
      [6, "https://contoso-prod-kv.vault.azure.net/secrets/db-password"],
      [6, "https://contoso-prod-kv.vault.azure.net/secrets/storage-key"],
    ]);
  });

  it("maps status to activity: InProgress updates, Resolved and Dismissed close", () => {
    expect(toOcsf({ ...alert, status: "InProgress" })).toMatchObject({ activity_id: 2, type_uid: 200402, status_id: 2, status: "In Progress" });
    expect(toOcsf({ ...alert, status: "Resolved" })).toMatchObject({ activity_id: 3, type_uid: 200403, status_id: 4, status: "Resolved" });
    expect(toOcsf({ ...alert, status: "Dismissed" })).toMatchObject({ activity_id: 3, status_id: 3, status: "Suppressed", status_detail: "Dismissed" });
  });

  it("labels simulated alerts and omits evidence that is missing", () => {
    const simulated = toOcsf(parseAlerts(fixtureText("kv-simulated-alerts.xsoar-excerpt.json"))[4]!);
    expect(simulated.metadata.labels).toEqual(["kind:KV_TORAccess", "channel:arm", "simulated", "access:succeeded"]);
    expect(simulated.evidences[0]).toEqual({ data: { user_agent: expect.any(String) } });
    expect(simulated.finding_info.attacks).toEqual([]);
    expect(simulated.unmapped.result_signature).toBe("Not Found, Unauthorized");
    expect(simulated.observables.some((observable) => observable.type_id === 2)).toBe(false);
  });

  it("is plain JSON", () => {
    expect(JSON.parse(JSON.stringify(finding))).toEqual(finding);
  });
});
