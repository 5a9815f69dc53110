import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KeyVaultAlertKind } from "@keywarden/alerts";
import {
  ACTION_KINDS,
  builtInRules,
  CHANGING_ACTION_KINDS,
  defineTriageRule,
  InvalidTriagePolicyError,
  InvalidTriageRuleError,
  protectiveBuiltInRuleIds,
  triageAlert,
  type ActionKind,
  type ProposedAction,
  type RuleInput,
  type TriagePolicy,
  type TriageReport,
  type TriageRule,
} from "../src/index.js";
import { buildAlert } from "./support/build-alert.js";
import { IPS, PRINCIPALS, tableContext, VAULTS } from "./support/table-world.js";

const KINDS: KeyVaultAlertKind[] = [
  "KV_SuspiciousIPAccess", "KV_TORAccess", "KV_OperationVolumeAnomaly", "KV_PutGetAnomaly", "KV_ListGetAnomaly",
  "KV_AccountVolumeAccessDeniedAnomaly", "KV_UserAccessDeniedAnomaly", "KV_AppAnomaly", "KV_OperationPatternAnomaly",
  "KV_UserAnomaly", "KV_UserAppAnomaly", "KV_AccountVolumeAnomaly", "KV_SuspiciousIPAccessDenied", "KV_UnusualAccessSuspiciousIP",
];
const OPERATIONS = ["SecretGet", "SecretList", "SecretBackup", "VaultGet", "VaultPut", "KeyGet", "KeyUnwrap", "KeySign", "CertificateGet", "KeyRelease"];
const STATES = ["InProgress", "Resolved", "Dismissed", "Active"] as const;
const BUILT_IN_IDS = builtInRules.map((rule) => rule.meta.id);

/** A proposal of the given kind built from the rule input's facts, the way a real custom rule would. */
function proposal(kind: ActionKind, state: (typeof STATES)[number], input: RuleInput): ProposedAction | undefined {
  const { facts } = input;
  const selection = { names: [...facts.secretNames], versions: {}, includeExposedFromImpact: true };
  switch (kind) {
    case "update-alert-state":
      return { kind, target: facts.alert, parameters: { state, comment: "custom rule" } };
    case "contact-owner":
      return { kind, target: { vault: facts.vault, alert: facts.alert }, parameters: { recipients: [{ role: "vault-owner" }], topics: ["confirm-access"], questions: ["?"] } };
    case "enable-firewall":
      return { kind, target: facts.vault, parameters: { defaultAction: "Deny", bypass: "AzureServices", keepIpRules: [], keepVirtualNetworkRules: [], addIpRules: [], currentlyEnabled: false, basedOnVaultState: false } };
    case "rotate-secrets":
    case "disable-secrets":
    case "rotate-keys":
      return { kind, target: facts.vault, parameters: selection };
    case "revoke-sessions":
      return facts.principal === undefined ? undefined : { kind, target: facts.principal, parameters: {} };
    default:
      return undefined;
  }
}

interface CustomRuleSpec {
  name: string;
  proposes: ActionKind[];
  closes: ("Resolved" | "Dismissed")[];
  requiresApproval: boolean;
  /** What it proposes when it fires, drawn from what it declares. */
  fires: { kind: ActionKind; state: (typeof STATES)[number] }[];
  whenRecognised: boolean;
}

const customRule = fc
  .record({
    name: fc.constantFrom("close-known", "auto-resolve", "quiet-hours", "vip-caller"),
    proposes: fc.subarray(["update-alert-state", "contact-owner", "enable-firewall", "rotate-secrets", "revoke-sessions"] as ActionKind[], { minLength: 1 }),
    closes: fc.subarray(["Resolved", "Dismissed"] as ("Resolved" | "Dismissed")[]),
    requiresApproval: fc.boolean(),
    fires: fc.array(fc.record({ kind: fc.constantFrom(...(ACTION_KINDS as readonly ActionKind[])), state: fc.constantFrom(...STATES) }), { maxLength: 4 }),
    whenRecognised: fc.boolean(),
  })
  .map((spec): CustomRuleSpec => ({
    ...spec,
    // A rule can only emit what it declares (the contract is tested elsewhere): keep declared kinds and states.
    fires: spec.fires
      .filter((f) => spec.proposes.includes(f.kind))
      .filter((f) => f.kind !== "update-alert-state" || f.state === "InProgress" || f.state === "Active" || spec.closes.includes(f.state)),
  }));

function buildRule(spec: CustomRuleSpec, index: number): TriageRule {
  return {
    meta: {
      id: `kv/custom-${spec.name}-${index}`,
      description: "generated custom rule",
      messages: { fired: "custom rule fired" },
      proposes: spec.proposes,
      ...(spec.closes.length > 0 && spec.proposes.includes("update-alert-state") ? { closes: spec.closes } : {}),
      ...(spec.requiresApproval ? { requiresApproval: true } : {}),
    },
    evaluate: (input) => {
      if (spec.whenRecognised && !input.facts.principalRecognised) return [];
      const actions = spec.fires.map((f) => proposal(f.kind, f.state, input)).filter((a): a is ProposedAction => a !== undefined);
      return [{ messageId: "fired", severity: "info", actions }];
    },
  };
}

const situation = fc.record({
  kind: fc.constantFrom(...KINDS),
  simulated: fc.boolean(),
  ip: fc.constantFrom(...Object.keys(IPS), "00.00.00.00"),
  principal: fc.constantFrom("none", ...Object.keys(PRINCIPALS)),
  vault: fc.constantFrom(...Object.keys(VAULTS)),
  operations: fc.subarray(OPERATIONS),
  customRules: fc.array(customRule, { maxLength: 3 }),
  disabledRules: fc.subarray(BUILT_IN_IDS, { maxLength: 3 }),
  acknowledgeAll: fc.boolean(),
  policy: fc.record(
    {
      simulatedAlerts: fc.constantFrom("report-only" as const, "respond" as const),
      autoApprove: fc.subarray([...ACTION_KINDS] as ActionKind[]),
      trustedIpRanges: fc.constantFrom(["192.0.2.0/24"], ["101.99.92.0/24"], ["40.74.146.0/24"]),
      trustedPrincipals: fc.constantFrom([PRINCIPALS["member-user"]!.objectId], [PRINCIPALS["guest-user"]!.objectId]),
    },
    { requiredKeys: [] },
  ),
});

const isClosing = (state: string) => state === "Resolved" || state === "Dismissed";

function closingSteps(report: TriageReport) {
  return report.decision.recommendedActions.filter((a) => a.kind === "update-alert-state" && isClosing(a.parameters.state));
}

describe("the engine holds the invariant whatever rules and policy are loaded (issue 13)", () => {
  it("never auto-approves a closing step, never closes while containment or an owner's answer is pending, refuses weakening at load", async () => {
    await fc.assert(
      fc.asyncProperty(situation, async (s) => {
        const address = s.ip in IPS ? IPS[s.ip] : s.ip;
        const principal = s.principal === "none" ? undefined : PRINCIPALS[s.principal];
        const alert = buildAlert({
          kind: s.kind,
          simulated: s.simulated,
          ...(address === undefined ? {} : { ipAddress: address }),
          ...(principal === undefined ? {} : { objectId: principal.objectId }),
          operations: s.operations.map((operation) => ({ operation, count: 1 })),
          targets: ["https://kv-payments.vault.azure.net/secrets/db-password"],
        });
        const rules = [...builtInRules, ...s.customRules.map(buildRule)];
        const disabled = s.disabledRules;
        const policy: TriagePolicy = { ...s.policy, disabledRules: disabled, ...(s.acknowledgeAll ? { acknowledge: disabled } : {}) };
        const context = { ...tableContext(s.vault), rules };

        const weakening = !s.acknowledgeAll && disabled.some((id) => protectiveBuiltInRuleIds().has(id));
        const closingWithoutApproval = s.customRules.some((r) => r.closes.length > 0 && r.proposes.includes("update-alert-state") && !r.requiresApproval);
        const outcome = await triageAlert(alert, context, policy).then(
          (report) => ({ report }),
          (error: unknown) => ({ error }),
        );
        if (weakening) {
          // Refused at load, naming the field.
          expect("error" in outcome && outcome.error).toBeInstanceOf(InvalidTriagePolicyError);
          expect(String((outcome as { error: Error }).error.message)).toContain("disabledRules");
          return;
        }
        if (closingWithoutApproval) {
          expect("error" in outcome && outcome.error).toBeInstanceOf(InvalidTriageRuleError);
          expect(String((outcome as { error: Error }).error.message)).toContain("requiresApproval");
          return;
        }
        if ("error" in outcome) throw outcome.error;
        const report = outcome.report;
        const actions = report.decision.recommendedActions;

        // 1. No closing step is ever auto-approved, whatever autoApprove says.
        for (const step of closingSteps(report)) expect(step.requiresApproval).toBe(true);
        // 2. No closing step alongside a containment step or a pending owner answer.
        const pending = actions.some((a) => a.kind === "contact-owner" || CHANGING_ACTION_KINDS.has(a.kind));
        if (pending) {
          expect(closingSteps(report)).toEqual([]);
          expect(report.decision.closingBlockers.length).toBeGreaterThan(0);
        }
        if (report.findings.some((f) => f.id.startsWith("kv/secrets-exposed/deferred")) && !(s.simulated && policy.simulatedAlerts !== "respond")) {
          expect(closingSteps(report)).toEqual([]);
        }
        // 3. A recognised caller is never a reason to close: unless its rule was knowingly disabled, the owner is asked.
        const recognisedRuleOn = !disabled.includes("kv/recognised-principal");
        if (report.source.principal.membership === "in-tenant" && recognisedRuleOn && !(s.simulated && policy.simulatedAlerts !== "respond")) {
          expect(actions.map((a) => a.kind)).toContain("contact-owner");
          expect(closingSteps(report)).toEqual([]);
        }
        // 4. Every disabled rule is reported, acknowledged when protective.
        expect(report.disabledRules.map((n) => n.ruleId)).toEqual([...disabled]);
        for (const note of report.disabledRules) if (note.protective) expect(note.acknowledged).toBe(true);
        expect(JSON.parse(JSON.stringify(report))).toEqual(report);
      }),
      { numRuns: 250 },
    );
  });
});

describe("the invariant's edges, one by one", () => {
  const member = PRINCIPALS["member-user"]!.objectId;
  const recognisedAlert = () =>
    buildAlert({ kind: "KV_UserAnomaly", ipAddress: "203.0.113.10", objectId: member, operations: [{ operation: "SecretGet", count: 3 }], targets: ["https://kv-payments.vault.azure.net/secrets/a", "https://kv-payments.vault.azure.net/secrets/b", "https://kv-payments.vault.azure.net/secrets/c"] });

  it("a custom rule that proposes Dismissed for a recognised caller is refused at load unless it requires approval", () => {
    const meta = { id: "kv/dismiss-known" as const, description: "dismiss known callers", messages: { known: "known caller" }, proposes: ["update-alert-state" as const], closes: ["Dismissed" as const] };
    expect(() => defineTriageRule({ meta, evaluate: () => [] })).toThrow(/requiresApproval: true/);
  });

  it("an undeclared closing proposal is a contract violation, and a declared one waits for approval and for the owner", async () => {
    const sneaky: TriageRule = {
      meta: { id: "kv/sneaky-close", description: "closes without saying so", messages: { close: "close" }, proposes: ["update-alert-state"] },
      evaluate: ({ facts }) => [{ messageId: "close", severity: "info", actions: [{ kind: "update-alert-state", target: facts.alert, parameters: { state: "Dismissed", comment: "known" } }] }],
    };
    await expect(triageAlert(recognisedAlert(), { ...tableContext("access-policy-firewall"), rules: [...builtInRules, sneaky] })).rejects.toThrow(/meta\.closes/);

    const declared = defineTriageRule({
      meta: { id: "kv/close-known", description: "closes known callers", messages: { close: "close" }, proposes: ["update-alert-state"], closes: ["Dismissed", "Resolved"], requiresApproval: true },
      evaluate: ({ facts }) => [{ messageId: "close", severity: "info", actions: [{ kind: "update-alert-state", target: facts.alert, parameters: { state: "Resolved", comment: "known" } }] }],
    });
    const report = await triageAlert(recognisedAlert(), { ...tableContext("access-policy-firewall"), rules: [...builtInRules, declared] }, { autoApprove: ["update-alert-state"] });
    expect(closingSteps(report)).toEqual([]);
    expect(report.decision.withheldActions).toContainEqual(expect.objectContaining({ kind: "update-alert-state", ruleId: "kv/close-known" }));
    expect(report.decision.closingBlockers.map((b) => b.reason)).toEqual(expect.arrayContaining(["owner-confirmation-pending", "containment-pending"]));
    // Rotation waits for the owner's answer on the three read secrets: that blocks closing too.
    expect(report.decision.closingBlockers).toContainEqual(expect.objectContaining({ findingId: "kv/secrets-exposed/deferred" }));
  });

  it("disabledRules: [kv/recognised-principal] without acknowledge is refused, naming the field; with it, every report says so", async () => {
    await expect(triageAlert(recognisedAlert(), tableContext("access-policy-firewall"), { disabledRules: ["kv/recognised-principal"] })).rejects.toThrow(
      /disabledRules turns off kv\/recognised-principal.*acknowledge/,
    );
    const report = await triageAlert(recognisedAlert(), tableContext("access-policy-firewall"), { disabledRules: ["kv/recognised-principal"], acknowledge: ["kv/recognised-principal"] });
    expect(report.disabledRules).toEqual([expect.objectContaining({ ruleId: "kv/recognised-principal", protective: true, acknowledged: true })]);
  });

  it("a policy that tries to disable the owner contact, or acknowledges a rule it does not disable, is refused", async () => {
    await expect(triageAlert(recognisedAlert(), tableContext("access-policy"), { disabledActions: ["contact-owner"] })).rejects.toThrow(/disabledActions includes contact-owner/);
    await expect(triageAlert(recognisedAlert(), tableContext("access-policy"), { acknowledge: ["kv/recognised-principal"] })).rejects.toThrow(/acknowledge lists/);
  });

  it("a sample alert's dismissal is proposed but never auto-approved", async () => {
    const report = await triageAlert(buildAlert({ kind: "KV_TORAccess", simulated: true, ipAddress: "101.99.92.179" }), tableContext("access-policy"), { autoApprove: ["update-alert-state"] });
    expect(closingSteps(report)).toEqual([expect.objectContaining({ requiresApproval: true })]);
  });
});
