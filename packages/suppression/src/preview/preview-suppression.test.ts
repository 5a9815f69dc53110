import type { AlertEntity } from "@keywarden/alerts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SuppressionAlert } from "../match/suppression-alert.js";
import { defineSuppressionRule, type SuppressionRuleInput } from "../rule/define-suppression-rule.js";
import { previewSuppression } from "./preview-suppression.js";

const vault = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-build/providers/Microsoft.KeyVault/vaults/kv-build";
const rule = (input: Partial<SuppressionRuleInput> & { name: string }) =>
  defineSuppressionRule({ alertType: "KV_TORAccess", reason: "SpecificEntityFalsePositive", expiresOn: "2026-12-31T00:00:00Z", ...input });
const alert = (id: string, entities: AlertEntity[], alertType = "KV_TORAccess"): SuppressionAlert => ({ id, systemAlertId: `sys-${id}`, alertType, entities });
const ipEntity = (address: string): AlertEntity => ({ type: "ip", properties: { $id: "1", address } });
const vaultEntity = (resourceId = vault): AlertEntity => ({ type: "azure-resource", properties: { $id: "2", resourceId } });

const suppressedIds = (preview: ReturnType<typeof previewSuppression>, index = 0) => preview.rules[index]?.suppressed.map((entry) => entry.alertId);

describe("previewSuppression: the service's matching semantics", () => {
  it("in matches when the entity field equals one of the values", () => {
    const preview = previewSuppression(
      [rule({ name: "ci", scope: [{ field: "entities.ip.address", in: ["203.0.113.10", "203.0.113.11"] }] })],
      [alert("hit", [ipEntity("203.0.113.11"), vaultEntity()]), alert("miss", [ipEntity("198.51.100.7"), vaultEntity()])],
    );
    expect(suppressedIds(preview)).toEqual(["hit"]);
    expect(preview.rules[0]?.suppressed[0]).toEqual({ alertId: "hit", systemAlertId: "sys-hit", alertType: "KV_TORAccess", because: "scope-matched" });
    expect(preview.rules[0]?.notSuppressed).toEqual([
      {
        alertId: "miss",
        systemAlertId: "sys-miss",
        alertType: "KV_TORAccess",
        because: { kind: "condition-failed", conditionIndex: 0, condition: { field: "entities.ip.address", in: ["203.0.113.10", "203.0.113.11"] }, actual: ["198.51.100.7"] },
      },
    ]);
  });

  it("compares values without case, for in and for contains (resource ids arrive in mixed case)", () => {
    const preview = previewSuppression(
      [
        rule({ name: "exact", scope: [{ field: "entities.azureresource.resourceid", in: [vault.toLowerCase()] }] }),
        rule({ name: "substring", scope: [{ field: "entities.azureresource.resourceid", contains: "/VAULTS/KV-BUILD" }] }),
      ],
      [alert("upper", [vaultEntity(vault.toUpperCase())])],
    );
    expect(suppressedIds(preview, 0)).toEqual(["upper"]);
    expect(suppressedIds(preview, 1)).toEqual(["upper"]);
  });

  it("matches entity types without dashes and property names without case (REST camelCase, export PascalCase)", () => {
    const exported: AlertEntity[] = [
      { type: "ip", properties: { Address: "203.0.113.10" } },
      { type: "azure-resource", properties: { ResourceId: vault } },
      { type: "account", properties: { AadUserId: "6a3f0d1e-0000-4000-8000-000000000001" } },
    ];
    const preview = previewSuppression(
      [
        rule({
          name: "all-three",
          scope: [
            { field: "entities.ip.address", in: ["203.0.113.10"] },
            { field: "entities.azureresource.resourceid", in: [vault] },
            { field: "entities.account.aaduserid", in: ["6A3F0D1E-0000-4000-8000-000000000001"] },
          ],
        }),
      ],
      [alert("export", exported)],
    );
    expect(suppressedIds(preview)).toEqual(["export"]);
  });

  it("requires every condition (allOf), as in the service's own example rule", () => {
    // alertsSuppressionRules 2019-01-01-preview example: IP in [...] and process command line contains POWERSHELL.EXE.
    const example = rule({
      name: "dismissIpAnomalyAlerts",
      alertType: "IpAnomaly",
      reason: "FalsePositive",
      scope: [
        { field: "entities.ip.address", in: ["104.215.95.187", "52.164.206.56"] },
        { field: "entities.process.commandline", contains: "POWERSHELL.EXE" },
      ],
    });
    const process = (commandLine: string): AlertEntity => ({ type: "process", properties: { commandLine } });
    const preview = previewSuppression(
      [example],
      [
        alert("both", [ipEntity("52.164.206.56"), process("C:\\Windows\\System32\\powershell.exe -NoProfile")], "IpAnomaly"),
        alert("ip-only", [ipEntity("52.164.206.56"), process("cmd.exe /c dir")], "IpAnomaly"),
        alert("no-process", [ipEntity("52.164.206.56")], "IpAnomaly"),
      ],
    );
    expect(suppressedIds(preview)).toEqual(["both"]);
    expect(preview.rules[0]?.notSuppressed.map((entry) => [entry.alertId, entry.because.kind === "condition-failed" ? entry.because.conditionIndex : -1])).toEqual([
      ["ip-only", 1],
      ["no-process", 1],
    ]);
    const noProcess = preview.rules[0]?.notSuppressed[1]?.because;
    expect(noProcess?.kind === "condition-failed" ? noProcess.actual : undefined).toEqual([]);
  });

  it("suppresses an alert with no entities at all entirely, even for an entity-scoped rule", () => {
    const preview = previewSuppression([rule({ name: "ci", scope: [{ field: "entities.ip.address", in: ["203.0.113.10"] }] })], [alert("bare", [])]);
    expect(preview.rules[0]?.suppressed).toEqual([{ alertId: "bare", systemAlertId: "sys-bare", alertType: "KV_TORAccess", because: "no-entities" }]);
  });

  it("does not treat an alert whose entities lack the field as entity-less", () => {
    const preview = previewSuppression([rule({ name: "ci", scope: [{ field: "entities.ip.address", in: ["203.0.113.10"] }] })], [alert("vault-only", [vaultEntity()])]);
    expect(suppressedIds(preview)).toEqual([]);
  });

  it("an unscoped rule suppresses every alert of its type and only its type; * suppresses every type", () => {
    const alerts = [alert("tor", [ipEntity("1.1.1.1")]), alert("app", [ipEntity("1.1.1.1")], "KV_AppAnomaly")];
    const preview = previewSuppression([rule({ name: "tor-all" }), rule({ name: "everything", alertType: "*" })], alerts);
    expect(preview.rules.map((entry) => [entry.rule, entry.considered, entry.suppressed.map((s) => `${s.alertId}:${s.because}`)])).toEqual([
      ["tor-all", 1, ["tor:no-scope"]],
      ["everything", 2, ["tor:no-scope", "app:no-scope"]],
    ]);
    expect(preview.suppressedAlertIds).toEqual(["tor", "app"]);
    expect(preview.rulesByAlert.get("tor")).toEqual(["tor-all", "everything"]);
  });

  it("matches the alert type, not its simulated variant; ignores case so it never under-reports", () => {
    const preview = previewSuppression(
      [rule({ name: "tor" })],
      [alert("sim", [ipEntity("00.00.00.00")], "SIMULATED_KV_TORAccess"), alert("lower", [], "kv_toraccess")],
    );
    expect(preview.rules[0]?.considered).toBe(1);
    expect(suppressedIds(preview)).toEqual(["lower"]);
    expect(preview.total).toBe(2);
    const simulated = previewSuppression([rule({ name: "sim", alertType: "SIMULATED_KV_TORAccess" })], [alert("sim", [ipEntity("00.00.00.00")], "SIMULATED_KV_TORAccess")]);
    expect(suppressedIds(simulated)).toEqual(["sim"]);
  });

  it("disabled rules suppress nothing; expired ones neither, when an instant is given", () => {
    const alerts = [alert("tor", [ipEntity("1.1.1.1")])];
    const disabled = previewSuppression([rule({ name: "off", state: "Disabled" })], alerts);
    expect(disabled.rules[0]).toMatchObject({ active: false, suppressed: [], notSuppressed: [{ alertId: "tor", because: { kind: "rule-disabled" } }] });
    expect(disabled.suppressedAlertIds).toEqual([]);
    const expiring = [rule({ name: "until", expiresOn: "2026-01-01T00:00:00Z" })];
    expect(previewSuppression(expiring, alerts).rules[0]?.active).toBe(true);
    expect(previewSuppression(expiring, alerts, { at: "2025-12-31T23:59:59Z" }).rules[0]?.active).toBe(true);
    expect(previewSuppression(expiring, alerts, { at: new Date("2026-01-01T00:00:00Z") }).rules[0]).toMatchObject({
      active: false,
      notSuppressed: [{ because: { kind: "rule-expired", expiresOn: "2026-01-01T00:00:00.000Z" } }],
    });
  });

  it("reads every value of a multi-valued field and every entity of the type", () => {
    const preview = previewSuppression(
      [rule({ name: "second", scope: [{ field: "entities.ip.address", in: ["203.0.113.99"] }] })],
      [alert("two-ips", [ipEntity("198.51.100.1"), ipEntity("203.0.113.99")])],
    );
    expect(suppressedIds(preview)).toEqual(["two-ips"]);
  });
});

describe("previewSuppression: properties", () => {
  const ipv4 = fc.ipV4();
  it("a rule listing an alert's own IP suppresses it; a rule listing only other IPs does not", () => {
    fc.assert(
      fc.property(ipv4, fc.array(ipv4, { maxLength: 5 }), fc.boolean(), (address, others, upper) => {
        const own = rule({ name: "own", scope: [{ field: "entities.ip.address", in: [...others, upper ? address.toUpperCase() : address] }] });
        const foreign = others.filter((other) => other !== address);
        const subject = alert("a", [ipEntity(address), vaultEntity()]);
        expect(suppressedIds(previewSuppression([own], [subject]))).toEqual(["a"]);
        if (foreign.length > 0) {
          const other = rule({ name: "other", scope: [{ field: "entities.ip.address", in: foreign }] });
          expect(suppressedIds(previewSuppression([other], [subject]))).toEqual([]);
        }
      }),
    );
  });

  it("every alert of a rule's type is either suppressed or not, never both, never lost", () => {
    const arbitraryAlert = fc.record({
      id: fc.uuid(),
      alertType: fc.constantFrom("KV_TORAccess", "KV_AppAnomaly"),
      entities: fc.array(fc.constantFrom(ipEntity("203.0.113.10"), ipEntity("198.51.100.1"), vaultEntity()), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryAlert, { maxLength: 30 }), (alerts) => {
        const preview = previewSuppression([rule({ name: "ci", scope: [{ field: "entities.ip.address", in: ["203.0.113.10"] }] })], alerts);
        const entry = preview.rules[0]!;
        const ofType = alerts.filter((a) => a.alertType === "KV_TORAccess").length;
        expect(entry.considered).toBe(ofType);
        expect(entry.suppressed.length + entry.notSuppressed.length).toBe(ofType);
      }),
    );
  });
});

describe("previewSuppression: agrees with a naive reading of the documented semantics", () => {
  // The reference: no precompilation, no index, no caching; just the rules as the docs state them.
  const naiveMatches = (r: ReturnType<typeof rule>, a: SuppressionAlert): boolean => {
    if (r.alertType !== "*" && r.alertType.toLowerCase() !== a.alertType.toLowerCase()) return false;
    if (a.entities.length === 0) return true;
    return r.scope.every((condition) => {
      const [, type, property] = condition.field.split(".");
      return a.entities.some((entity) => {
        if (entity.type.replaceAll("-", "").toLowerCase() !== type) return false;
        return Object.entries(entity.properties).some(([key, value]) => {
          if (key.toLowerCase() !== property || typeof value !== "string") return false;
          const actual = value.toLowerCase();
          return "in" in condition ? condition.in.some((wanted) => wanted.toLowerCase() === actual) : actual.includes(condition.contains.toLowerCase());
        });
      });
    });
  };
  const casing = (value: string) => fc.constantFrom(value, value.toUpperCase(), value.toLowerCase());
  const pool = {
    ip: ["203.0.113.10", "198.51.100.7", "00.00.00.00"],
    user: ["6a3f0d1e-0000-4000-8000-00000000000a", "6a3f0d1e-0000-4000-8000-00000000000b"],
    vault: [vault, vault.replace("kv-build", "kv-prod")],
  };
  const entity = fc.oneof(
    fc.tuple(casing("ip"), fc.constantFrom("address", "Address"), fc.constantFrom(...pool.ip)).map(([type, key, value]) => ({ type, properties: { [key]: value } })),
    fc.tuple(fc.constantFrom("account"), fc.constantFrom("aadUserId", "AadUserId"), fc.constantFrom(...pool.user).chain(casing)).map(([type, key, value]) => ({ type, properties: { [key]: value } })),
    fc.tuple(fc.constantFrom("azure-resource", "azureresource"), fc.constantFrom("resourceId", "ResourceId"), fc.constantFrom(...pool.vault).chain(casing)).map(([type, key, value]) => ({ type, properties: { [key]: value } })),
  );
  const anAlert = fc.record({
    id: fc.uuid(),
    alertType: fc.constantFrom("KV_TORAccess", "KV_AppAnomaly", "kv_appanomaly", "SIMULATED_KV_TORAccess"),
    entities: fc.array(entity, { maxLength: 4 }),
  });
  const condition = fc.oneof(
    fc.record({ field: fc.constant("entities.ip.address" as const), in: fc.array(fc.constantFrom(...pool.ip), { minLength: 1, maxLength: 2 }) }),
    fc.record({ field: fc.constant("entities.account.aaduserid" as const), in: fc.array(fc.constantFrom(...pool.user).chain(casing), { minLength: 1, maxLength: 2 }) }),
    fc.record({ field: fc.constant("entities.azureresource.resourceid" as const), contains: fc.constantFrom("/vaults/kv-build", "KV-PROD", "rg-build") }),
  );
  const aRule = fc.record({
    name: fc.constantFrom("r1", "r2", "r3", "r4"),
    alertType: fc.constantFrom("KV_TORAccess", "KV_AppAnomaly", "*", "SIMULATED_KV_TORAccess"),
    scope: fc.array(condition, { maxLength: 3 }),
  });

  it("per rule, the same alerts suppressed and the rest not suppressed", () => {
    fc.assert(
      fc.property(fc.array(aRule, { maxLength: 5 }), fc.uniqueArray(anAlert, { selector: (a) => a.id, maxLength: 25 }), (inputs, alerts) => {
        const rules = inputs.map((input, index) => rule({ ...input, name: `${input.name}-${index}`, scope: input.scope.length === 0 ? undefined : input.scope }));
        const preview = previewSuppression(rules, alerts);
        rules.forEach((r, index) => {
          const considered = alerts.filter((a) => r.alertType === "*" || r.alertType.toLowerCase() === a.alertType.toLowerCase());
          expect(preview.rules[index]?.suppressed.map((s) => s.alertId)).toEqual(considered.filter((a) => naiveMatches(r, a)).map((a) => a.id));
          expect(preview.rules[index]?.notSuppressed.map((s) => s.alertId)).toEqual(considered.filter((a) => !naiveMatches(r, a)).map((a) => a.id));
        });
        expect(preview.suppressedAlertIds).toEqual(alerts.filter((a) => rules.some((r) => naiveMatches(r, a))).map((a) => a.id));
      }),
      { numRuns: 300 },
    );
  });

  it("serializes whole, misses included (they are built on first read)", () => {
    const preview = previewSuppression([rule({ name: "ci", scope: [{ field: "entities.ip.address", in: ["203.0.113.10"] }] })], [alert("miss", [ipEntity("198.51.100.7")])]);
    const json = JSON.parse(JSON.stringify(preview.rules));
    expect(json[0].notSuppressed).toEqual([
      { alertId: "miss", systemAlertId: "sys-miss", alertType: "KV_TORAccess", because: { kind: "condition-failed", conditionIndex: 0, condition: { field: "entities.ip.address", in: ["203.0.113.10"] }, actual: ["198.51.100.7"] } },
    ]);
    expect(preview.rules[0]?.notSuppressed).toBe(preview.rules[0]?.notSuppressed);
  });

  it("rejects an invalid instant instead of silently ignoring expiry", () => {
    expect(() => previewSuppression([], [], { at: "not a date" })).toThrow(expect.objectContaining({ code: "KW_SUPPRESSION_E0008", category: "invalid-input" }));
  });
});
