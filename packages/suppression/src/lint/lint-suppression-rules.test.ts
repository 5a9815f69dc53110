import type { AlertEntity } from "@keywarden/alerts";
import { describe, expect, it } from "vitest";
import { SuppressionCodes as C } from "../errors/suppression-error-codes.js";
import { defineSuppressionRule, type SuppressionRuleInput } from "../rule/define-suppression-rule.js";
import type { SuppressionAlert } from "../match/suppression-alert.js";
import { lintSuppressionRules } from "./lint-suppression-rules.js";

const now = "2026-06-01T00:00:00Z";
const inDays = (days: number) => new Date(Date.parse(now) + days * 86_400_000).toISOString();
const ip = { field: "entities.ip.address", in: ["203.0.113.10"] } as const;
const base: SuppressionRuleInput = { name: "base", alertType: "KV_AppAnomaly", reason: "FalsePositive", expiresOn: inDays(60), scope: [ip] };
const rule = (overrides: Partial<SuppressionRuleInput>) => defineSuppressionRule({ ...base, ...overrides });

/** rule -> expected lint codes (no history: the no-entities behaviour is reported as information on scoped rules). */
const single: [string, Partial<SuppressionRuleInput>, string[]][] = [
  ["a well-scoped rule expiring within policy", {}, [C.noEntitiesBehaviour]],
  ["no expiry", { expiresOn: undefined }, [C.noExpiry, C.noEntitiesBehaviour]],
  ["expiry beyond the 90-day policy maximum", { expiresOn: inDays(91) }, [C.expiryBeyondMaximum, C.noEntitiesBehaviour]],
  ["expiring within 14 days", { expiresOn: inDays(3) }, [C.expiringSoon, C.noEntitiesBehaviour]],
  ["already expired", { expiresOn: inDays(-1) }, [C.expired, C.noEntitiesBehaviour]],
  ["no scope", { scope: undefined }, [C.noScope]],
  ["every alert type, no scope", { alertType: "*", scope: undefined }, [C.allAlertTypes]],
  ["every alert type with an IP scope", { alertType: "*" }, [C.allAlertTypes, C.noEntitiesBehaviour]],
  ["every alert type with a non-IP scope", { alertType: "*", scope: [{ field: "entities.account.aaduserid", in: ["00000000-0000-0000-0000-000000000001"] }] }, [C.allAlertTypes, C.highValueWithoutIp, C.noEntitiesBehaviour]],
  ["Tor access without any scope", { alertType: "KV_TORAccess", scope: undefined }, [C.noScope, C.highValueWithoutIp]],
  ["Tor access pinned to an exact IP", { alertType: "KV_TORAccess" }, [C.noEntitiesBehaviour]],
  ["suspicious IP access scoped by a substring of the IP", { alertType: "KV_SuspiciousIPAccess", scope: [{ field: "entities.ip.address", contains: "203.0." }] }, [C.highValueWithoutIp, C.noEntitiesBehaviour]],
  ["suspicious IP access scoped by vault only", { alertType: "KV_UnusualAccessSuspiciousIP", scope: [{ field: "entities.azureresource.resourceid", contains: "/vaults/kv-build" }] }, [C.highValueWithoutIp, C.noEntitiesBehaviour]],
  ["contains a generic resource id segment", { scope: [{ field: "entities.azureresource.resourceid", contains: "/providers/" }] }, [C.scopeMatchesEverything, C.noEntitiesBehaviour]],
  ["contains two characters", { scope: [{ field: "entities.ip.address", contains: "10" }] }, [C.scopeMatchesEverything, C.noEntitiesBehaviour]],
  ["host field on a Key Vault alert", { scope: [{ field: "entities.host.hostname", in: ["build-01"] }] }, [C.fieldNotOnKeyVaultAlerts, C.noEntitiesBehaviour]],
  ["alert type in the wrong case", { alertType: "kv_appanomaly" }, [C.alertTypeCase, C.noEntitiesBehaviour]],
  ["the same value twice in a list", { scope: [{ field: "entities.ip.address", in: ["203.0.113.10", "203.0.113.10"] }] }, [C.duplicateValue, C.noEntitiesBehaviour]],
  ["disabled", { state: "Disabled" }, [C.disabledRule]],
  ["specific-entity reason without an entity", { reason: "SpecificEntityFalsePositive", scope: undefined }, [C.entityReasonWithoutScope]],
];

describe("lintSuppressionRules: one rule", () => {
  it.each(single)("%s", (_label, overrides, codes) => {
    const findings = lintSuppressionRules([rule(overrides)], { now });
    expect(findings.map((finding) => finding.code)).toEqual(codes);
    for (const finding of findings) {
      expect(finding.severity).toBe({ E: "error", W: "warning", I: "info" }[finding.code.charAt(15)]);
      expect(finding.rule).toBe("base");
      expect(finding.fix.length).toBeGreaterThan(0);
    }
  });

  it("takes the policy maximum and the expiring-soon window as options", () => {
    const codes = (options: object) => lintSuppressionRules([rule({ expiresOn: inDays(40) })], { now, ...options }).map((f) => f.code);
    expect(codes({ maxExpiryDays: 30 })).toContain(C.expiryBeyondMaximum);
    expect(codes({ expiringSoonDays: 45 })).toContain(C.expiringSoon);
  });

  it("leaves out ignored codes", () => {
    expect(lintSuppressionRules([rule({ expiresOn: undefined })], { now, ignore: [C.noEntitiesBehaviour] }).map((f) => f.code)).toEqual([C.noExpiry]);
  });

  it("reads no clock: the same rules linted at another instant give other findings", () => {
    const r = rule({ expiresOn: "2026-07-01T00:00:00Z" });
    expect(lintSuppressionRules([r], { now: "2026-06-01T00:00:00Z" }).map((f) => f.code)).not.toContain(C.expired);
    expect(lintSuppressionRules([r], { now: "2026-07-02T00:00:00Z" }).map((f) => f.code)).toContain(C.expired);
  });
});

describe("lintSuppressionRules: rule sets", () => {
  const lint = (rules: ReturnType<typeof rule>[]) =>
    lintSuppressionRules(rules, { now })
      .filter((finding) => finding.code !== C.noEntitiesBehaviour)
      .map((finding) => [finding.rule, finding.code]);

  it("reports a duplicate regardless of condition and value order or case", () => {
    const a = rule({ name: "rule-a", scope: [ip, { field: "entities.account.aaduserid", in: ["X", "y"] }] });
    const b = rule({ name: "rule-b", scope: [{ field: "entities.account.aaduserid", in: ["Y", "x"] }, ip] });
    expect(lint([a, b])).toEqual([["rule-b", C.duplicateRule]]);
  });

  it("reports a rule shadowed by a broader one that lasts at least as long", () => {
    const broad = rule({ name: "broad", scope: [{ field: "entities.ip.address", in: ["203.0.113.10", "203.0.113.11"] }] });
    const narrow = rule({ name: "narrow", scope: [ip, { field: "entities.account.aaduserid", in: ["u1"] }] });
    expect(lint([broad, narrow])).toEqual([["narrow", C.shadowedRule]]);
    const unscoped = rule({ name: "unscoped", scope: undefined });
    expect(lint([unscoped, narrow])).toEqual([["unscoped", C.noScope], ["narrow", C.shadowedRule]]);
    const containsBroad = rule({ name: "vaults", scope: [{ field: "entities.azureresource.resourceid", contains: "/vaults/kv-build" }] });
    const inNarrow = rule({ name: "one-vault", scope: [{ field: "entities.azureresource.resourceid", in: ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-build-01"] }] });
    expect(lint([containsBroad, inNarrow])).toEqual([["one-vault", C.shadowedRule]]);
  });

  it("does not call a rule shadowed when the broader one expires first, is disabled, or covers another type", () => {
    const narrow = rule({ name: "narrow", expiresOn: inDays(60) });
    expect(lint([rule({ name: "broad", scope: undefined, expiresOn: inDays(30) }), narrow])).toEqual([["broad", C.noScope]]);
    expect(lint([rule({ name: "broad", scope: undefined, state: "Disabled" }), narrow])).toEqual([["broad", C.noScope], ["broad", C.disabledRule]]);
    expect(lint([rule({ name: "broad", scope: undefined, alertType: "KV_UserAnomaly" }), narrow])).toEqual([["broad", C.noScope]]);
  });
});

describe("lintSuppressionRules: against the subscription's history", () => {
  const vault = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-build";
  const entities = (address: string): AlertEntity[] => [
    { type: "ip", properties: { address } },
    { type: "azure-resource", properties: { resourceId: vault } },
  ];
  const alert = (id: string, alertType: string, list: AlertEntity[]): SuppressionAlert => ({ id, alertType, entities: list });
  const history = [
    ...Array.from({ length: 6 }, (_, i) => alert(`a${i}`, "KV_AppAnomaly", entities(`198.51.100.${i}`))),
    alert("bare", "KV_AppAnomaly", []),
    alert("tor", "SIMULATED_KV_TORAccess", entities("00.00.00.00")),
  ];
  const lint = (r: ReturnType<typeof rule>) => lintSuppressionRules([r], { now, alerts: history }).map((finding) => finding.code);

  it("warns that entity-less alerts of the type are suppressed whatever the scope", () => {
    expect(lint(rule({}))).toEqual([C.noEntitiesSuppressed]);
  });

  it("warns when the scope matched every alert of the type", () => {
    expect(lint(rule({ scope: [{ field: "entities.azureresource.resourceid", in: [vault.toUpperCase()] }] }))).toEqual([C.noEntitiesSuppressed, C.scopeMatchesEverything]);
  });

  it("warns about alert types never seen (SIMULATED_ alerts are their own type)", () => {
    expect(lint(rule({ alertType: "KV_TORAccess" }))).toEqual([C.alertTypeNeverSeen]);
    expect(lint(rule({ alertType: "SIMULATED_KV_TORAccess" }))).toEqual([]);
    expect(lintSuppressionRules([rule({ alertType: "KV_UserAnomaly" })], { now, seenAlertTypes: ["KV_UserAnomaly"] }).map((f) => f.code)).toEqual([C.noEntitiesBehaviour]);
  });
});
