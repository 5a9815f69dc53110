import type { TriageReport } from "@keywarden/triage";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  defineRotator,
  planResponse,
  randomValueRotator,
  RemediationCodes,
  RemediationError,
  validatePlan,
  type ImpactInput,
  type RemediationPlan,
  type RotationCoverage,
  type StepOfKind,
} from "../src/index.js";
import reportFixture from "./fixtures/triage-report.json" with { type: "json" };

const report = () => structuredClone(reportFixture) as unknown as TriageReport;
const EXPOSED = "0a0000000000000000000000000000a1";
const impact: ImpactInput = {
  vault: { name: "kv-prod" },
  callers: [],
  objects: [
    {
      type: "secret",
      name: "db-password",
      versions: [EXPOSED],
      callers: [{ ipAddress: "185.220.101.45", userPrincipalName: "mallory@contoso.example", count: 3, firstTime: "2026-11-28T08:41:00Z", lastTime: "2026-11-28T08:44:00Z" }],
    },
  ],
  toRotate: [{ type: "secret", name: "db-password", versions: [EXPOSED], reason: "Its value was read (SecretGet) by the suspicious caller." }],
};
const noop = () => Promise.reject(new Error("not called when planning"));
const onlyDefaults: RotationCoverage = { rotators: [randomValueRotator()] };
const kinds = (plan: RemediationPlan) => plan.steps.map((step) => step.kind);
const objectNames = (plan: RemediationPlan, kind: string) => plan.steps.filter((step) => step.kind === kind).flatMap((step) => (step.target.objects ?? []).map((object) => object.name));
const ownerTasks = (plan: RemediationPlan) =>
  plan.steps.filter((step): step is StepOfKind<"contact-owner"> => step.kind === "contact-owner" && (step.target.objects ?? []).length > 0);

describe("planResponse with the rotators the apply will have", () => {
  it("no rotator matches: rotation becomes an owner task with the evidence, disabling waits, the alert stays open", () => {
    const plan = planResponse(report(), impact, { now: "2026-11-28T09:01:00Z" }, { rotation: onlyDefaults });
    expect(validatePlan(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
    expect(kinds(plan)).not.toContain("rotate-secrets");
    expect(objectNames(plan, "disable-secrets")).not.toContain("db-password");
    const closing = plan.steps.filter((step) => step.kind === "update-alert-state" && step.parameters.state !== "InProgress");
    expect(closing).toEqual([]);
    const [task, ...others] = ownerTasks(plan);
    expect(others).toEqual([]);
    expect(task?.target.objects).toEqual([{ type: "secret", name: "db-password" }]);
    expect(task?.parameters.subject).toContain("Rotate secret db-password of Key Vault kv-prod at the source");
    expect(task?.parameters.message).toContain(`version(s) ${EXPOSED} read by mallory@contoso.example from 185.220.101.45 (3 request(s), last 2026-11-28T08:44:00Z)`);
    expect(task?.parameters.evidence["rotateAtSource"]).toEqual([
      {
        secret: "db-password",
        exposedVersions: [EXPOSED],
        reason: "Its value was read (SecretGet) by the suspicious caller.",
        readBy: [{ caller: "mallory@contoso.example", ipAddress: "185.220.101.45", requests: 3, firstTime: "2026-11-28T08:41:00Z", lastTime: "2026-11-28T08:44:00Z" }],
      },
    ]);
    // The suspected principal is never asked to rotate what it read.
    expect(task?.parameters.recipients).not.toContain("mallory@contoso.example");
    const deferred = plan.warnings.filter((warning) => warning.code === RemediationCodes.rotationDeferredToOwner);
    expect(deferred.map((warning) => warning.message).join("\n")).toMatch(/No registered rotator can rotate secret db-password of vault kv-prod .*registered: random-value.*--owner-confirmed/);
    // Nothing is rotated by this plan, so nothing tells applications to pick up a new value.
    expect(plan.warnings.map((warning) => warning.code)).not.toContain(RemediationCodes.consumersMustUpdate);
  });

  it("a rotator that matches by content type (as the vault describes the secret) keeps the rotation, the disabling and the closing step", () => {
    const sql = defineRotator({ name: "sql-login", match: { contentTypes: ["application/x-sql-password"] }, rotate: noop });
    const rotation: RotationCoverage = { rotators: [sql, randomValueRotator()], secrets: [{ vaultName: "kv-prod", name: "db-password", contentType: "application/x-sql-password", tags: {} }] };
    const plan = planResponse(report(), impact, { now: "2026-11-28T09:01:00Z" }, { rotation });
    expect(objectNames(plan, "rotate-secrets")).toEqual(["db-password"]);
    expect(plan.steps.find((step) => step.kind === "rotate-secrets")?.precondition.summary).toBe("secret db-password (rotator sql-login)");
    expect(objectNames(plan, "disable-secrets")).toEqual(["db-password"]);
    expect(ownerTasks(plan)).toEqual([]);
    expect(plan.steps.at(-1)).toMatchObject({ kind: "update-alert-state", parameters: { state: "Resolved" } });
    // Not described: matched by name alone, so the content-type rotator does not match.
    expect(kinds(planResponse(report(), impact, {}, { rotation: { rotators: [sql] } }))).not.toContain("rotate-secrets");
  });

  it("the random-value rotator counts only where the policy allows it", () => {
    const plan = planResponse(report(), impact, { secrets: { allowRandomValue: true } }, { rotation: onlyDefaults });
    expect(objectNames(plan, "rotate-secrets")).toEqual(["db-password"]);
    expect(ownerTasks(plan)).toEqual([]);
  });

  it("a policy rotator that is not registered is refused at plan time with E0013", () => {
    let caught: unknown;
    try {
      planResponse(report(), impact, { secrets: { rotator: "vault-sql" } }, { rotation: onlyDefaults });
    } catch (error) {
      caught = error;
    }
    expect(RemediationError.isInstance(caught)).toBe(true);
    expect((caught as RemediationError).code).toBe(RemediationCodes.noRotator);
    expect((caught as Error).message).toMatch(/names rotator "vault-sql" .* registered rotators are random-value.*Register that rotator/);
  });

  it("the follow-up after the owner confirmed: no rotation, no new task, the exposed versions are disabled and the alert is closed", () => {
    const plan = planResponse(report(), impact, { now: "2026-11-28T10:00:00Z" }, { rotation: onlyDefaults, ownerConfirmed: ["DB-PASSWORD"] });
    expect(kinds(plan)).not.toContain("rotate-secrets");
    expect(ownerTasks(plan)).toEqual([]);
    expect(objectNames(plan, "disable-secrets")).toEqual(["db-password"]);
    expect(plan.steps.at(-1)).toMatchObject({ kind: "update-alert-state", parameters: { state: "Resolved" } });
    expect(plan.warnings.some((warning) => warning.code === RemediationCodes.rotationDeferredToOwner && warning.message.includes("owner confirmed"))).toBe(true);
    expect(plan.warnings.map((warning) => warning.code)).not.toContain(RemediationCodes.consumersMustUpdate);
  });

  it("without coverage the rotation step is planned as before (the rotator is chosen at apply time)", () => {
    expect(objectNames(planResponse(report(), impact), "rotate-secrets")).toEqual(["db-password"]);
  });

  it("property: every exposed secret is rotated by a matching rotator or handed to its owner, never both, and a handed-over secret is never disabled", () => {
    const names = ["db-password", "api-token", "constructor", "storage-key", "sp-secret"];
    fc.assert(
      fc.property(fc.subarray(names, { minLength: 1 }), fc.subarray(names), fc.subarray(names), fc.boolean(), (exposed, matched, confirmed, allowRandomValue) => {
        const triage = report();
        for (const action of triage.decision.recommendedActions) {
          if (action.kind === "rotate-secrets" || action.kind === "disable-secrets") action.parameters = { ...action.parameters, names: [...exposed] };
        }
        const matchedSet = new Set(matched);
        const rotation: RotationCoverage = { rotators: [defineRotator({ name: "listed", match: { names: new RegExp(`^(${[...matchedSet].join("|") || "(?!)"})$`) }, rotate: noop }), randomValueRotator()] };
        const plan = planResponse(triage, undefined, { secrets: { allowRandomValue } }, { rotation, ownerConfirmed: confirmed });
        const rotated = new Set(objectNames(plan, "rotate-secrets"));
        const handed = new Set(ownerTasks(plan).flatMap((step) => (step.target.objects ?? []).map((object) => object.name)));
        const disabled = new Set(objectNames(plan, "disable-secrets"));
        for (const name of exposed) {
          const isConfirmed = confirmed.includes(name);
          const rotatable = allowRandomValue || matchedSet.has(name);
          expect(rotated.has(name)).toBe(!isConfirmed && rotatable);
          expect(handed.has(name)).toBe(!isConfirmed && !rotatable);
          expect(disabled.has(name)).toBe(!handed.has(name));
        }
        const closes = plan.steps.some((step) => step.kind === "update-alert-state" && step.parameters.state === "Resolved");
        expect(closes).toBe(handed.size === 0);
        validatePlan(JSON.parse(JSON.stringify(plan)));
      }),
      { numRuns: 60 },
    );
  });
});
