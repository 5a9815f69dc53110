import { describe, expect, it } from "vitest";
import { CHANGING_ACTION_KINDS, triageAlert, type TriagePolicy } from "../src/index.js";
import { buildAlert } from "./support/build-alert.js";
import { PRINCIPALS, tableContext } from "./support/table-world.js";

const target = "https://kv-payments.vault.azure.net/secrets/db-password/0123456789abcdef0123456789abcdef";
const torUser = (simulated = false) =>
  buildAlert({ kind: "KV_TORAccess", simulated, ipAddress: "101.99.92.179", objectId: PRINCIPALS["member-user"]!.objectId, operations: [{ operation: "SecretGet", count: 2 }], targets: [target] });

async function kinds(alert: ReturnType<typeof torUser>, policy?: TriagePolicy, vault = "access-policy") {
  const report = await triageAlert(alert, tableContext(vault), policy);
  return { report, kinds: report.decision.recommendedActions.map((a) => a.kind) };
}

describe("triage policy", () => {
  it("simulated alerts: report-only withholds every other action and lists it; respond treats them as real", async () => {
    const reportOnly = await kinds(torUser(true));
    expect(reportOnly.kinds).toEqual(["update-alert-state"]);
    const dismiss = reportOnly.report.decision.recommendedActions[0];
    expect(dismiss?.kind === "update-alert-state" && dismiss.parameters.state).toBe("Dismissed");
    expect(reportOnly.report.decision.withheldActions.map((w) => w.kind)).toEqual(expect.arrayContaining(["enable-firewall", "rotate-secrets", "contact-owner"]));

    const respond = await kinds(torUser(true), { simulatedAlerts: "respond" });
    expect(respond.kinds).toEqual(expect.arrayContaining(["enable-firewall", "restrict-permissions", "rotate-secrets"]));
    expect(respond.report.decision.verdict).toBe("contain");
  });

  it("disabledActions withholds a kind with the reason", async () => {
    const { kinds: list, report } = await kinds(torUser(), { disabledActions: ["revoke-sessions"] });
    expect(list).not.toContain("revoke-sessions");
    expect(report.decision.withheldActions).toContainEqual(expect.objectContaining({ kind: "revoke-sessions", ruleId: "kv/recognised-principal" }));
  });

  it("autoApprove decides which actions need a person", async () => {
    const defaults = await kinds(torUser());
    for (const action of defaults.report.decision.recommendedActions) expect(action.requiresApproval).toBe(CHANGING_ACTION_KINDS.has(action.kind));
    const auto = await kinds(torUser(), { autoApprove: ["enable-firewall"] });
    const approvals = Object.fromEntries(auto.report.decision.recommendedActions.map((a) => [a.kind, a.requiresApproval]));
    expect(approvals).toMatchObject({ "enable-firewall": false, "contact-owner": true, "rotate-secrets": true });
  });

  it("secretResponse can add soft deletion (never purge)", async () => {
    const { report } = await kinds(torUser(), { secretResponse: ["rotate-secrets", "disable-secrets", "delete-secrets"] });
    const deletion = report.decision.recommendedActions.find((a) => a.kind === "delete-secrets");
    expect(deletion?.kind === "delete-secrets" && deletion.parameters).toEqual({
      names: ["db-password"],
      versions: { "db-password": ["0123456789abcdef0123456789abcdef"] },
      includeExposedFromImpact: false,
      purge: false,
    });
  });

  it("a trusted (allow-listed) foreign principal is narrowed and confirmed, not removed, never dismissed", async () => {
    const foreign = PRINCIPALS["foreign-app"]!.objectId;
    const alert = buildAlert({ kind: "KV_AppAnomaly", ipAddress: "198.51.100.23", objectId: foreign, operations: [{ operation: "SecretGet", count: 1 }] });
    const base = await kinds(alert);
    expect(base.kinds).toContain("remove-access-policy");
    const trusted = await kinds(alert, { trustedPrincipals: [foreign.toUpperCase()] });
    expect(trusted.kinds).not.toContain("remove-access-policy");
    expect(trusted.kinds).toEqual(expect.arrayContaining(["contact-owner", "restrict-permissions"]));
    const contact = trusted.report.decision.recommendedActions.find((a) => a.kind === "contact-owner");
    expect(contact?.kind === "contact-owner" && contact.parameters.topics).toContain("confirm-allow-listed");
  });

  it("disabledRules skips a rule entirely", async () => {
    const { report, kinds: list } = await kinds(torUser(), { disabledRules: ["kv/track-alert"] });
    expect(report.rulesEvaluated).not.toContain("kv/track-alert");
    expect(list).not.toContain("update-alert-state");
  });

  it("inherited role assignments are reported, and deleted only when the policy allows it", async () => {
    const foreign = PRINCIPALS["foreign-app"]!.objectId;
    const alert = buildAlert({ kind: "KV_AppAnomaly", ipAddress: "198.51.100.23", objectId: foreign, operations: [{ operation: "SecretGet", count: 1 }] });
    const pick = (r: Awaited<ReturnType<typeof kinds>>) => {
      const action = r.report.decision.recommendedActions.find((a) => a.kind === "remove-role-assignments");
      return action?.kind === "remove-role-assignments" ? action.parameters : undefined;
    };
    const base = pick(await kinds(alert, undefined, "rbac"));
    expect(base?.assignments.map((a) => a.inheritance)).toEqual(["direct"]);
    expect(base?.reportOnly.map((a) => a.inheritance)).toEqual(["inherited"]);
    const all = pick(await kinds(alert, { removeInheritedRoleAssignments: true }, "rbac"));
    expect(all?.assignments.map((a) => a.inheritance).sort()).toEqual(["direct", "inherited"]);
    expect(all?.reportOnly).toEqual([]);
  });

  it("rejects a malformed allow-list range with a coded error", async () => {
    await expect(triageAlert(torUser(), tableContext("access-policy"), { trustedIpRanges: ["10.0.0.0/40"] })).rejects.toMatchObject({ code: "KW_TRIAGE_E0004" });
  });
});

describe("exposed-object selection", () => {
  it("rotation and disabling always widen to what the logs show; deletion keeps to the objects the alert names", async () => {
    const { report } = await kinds(torUser(), { secretResponse: ["rotate-secrets", "disable-secrets", "delete-secrets"] });
    const parameters = (kind: string) => {
      const action = report.decision.recommendedActions.find((a) => a.kind === kind);
      return action !== undefined && "parameters" in action ? (action.parameters as { includeExposedFromImpact: boolean; names: string[] }) : undefined;
    };
    expect(parameters("rotate-secrets")).toMatchObject({ names: ["db-password"], includeExposedFromImpact: true });
    expect(parameters("disable-secrets")).toMatchObject({ names: ["db-password"], includeExposedFromImpact: true });
    expect(parameters("delete-secrets")).toMatchObject({ names: ["db-password"], includeExposedFromImpact: false });
  });
});
