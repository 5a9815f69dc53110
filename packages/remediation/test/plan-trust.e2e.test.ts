import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileJournal, InMemoryJournal, JournalCorruptError } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { describe, expect, it } from "vitest";
import {
  applyPlan,
  ed25519PlanKey,
  generateEd25519PlanKeyPem,
  hmacPlanKey,
  planRollback,
  signPlan,
  type ApprovalRequest,
  type RemediationPlan,
  type RemediationStep,
} from "../src/index.js";
import * as remediation from "../src/index.js";
import { computePlanId } from "../src/plan/plan-id.js";
import { applyFast, buildPlan, common, executorsFor, fastOptions, vaultTarget, writeCalls } from "./support/harness.js";
import { ATTACKER, remediationSeed, RESPONDER_IP, TENANT, VAULT, VAULT_ID } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
const key = hmacPlanKey("plan-signing-key-for-tests-0123456789abcdef");
const acls = () => tenant.state.vaults.get(VAULT_ID)?.resource.properties.networkAcls;
const policies = () => tenant.state.vaults.get(VAULT_ID)?.resource.properties.accessPolicies ?? [];

/** The plan a person reviewed: close the firewall (approval needed), soft-delete one secret (approval needed). */
function reviewedPlan(): RemediationPlan {
  return buildPlan([
    {
      kind: "enable-firewall",
      target: { vault: vaultTarget(VAULT) },
      parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules: [RESPONDER_IP], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
      ...common,
      requiresApproval: true,
    },
    {
      kind: "delete-secrets",
      target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "db-password" }] },
      parameters: { purge: false },
      ...common,
      requiresApproval: true,
    },
  ]);
}

/** What an attacker does with a stored plan: edit it, recompute the (unkeyed) id, keep the old signature. */
function rehash(plan: RemediationPlan, edit: (plan: RemediationPlan) => void): RemediationPlan {
  const copy = structuredClone(plan);
  edit(copy);
  copy.id = computePlanId(copy);
  return copy;
}

const edits: [string, (plan: RemediationPlan) => void][] = [
  [
    "approval flags turned off",
    (plan) => {
      for (const step of plan.steps) step.requiresApproval = false;
    },
  ],
  [
    "target moved to another vault",
    (plan) => {
      for (const step of plan.steps) step.target.vault = vaultTarget("kv-rbac");
    },
  ],
  [
    "an extra step granting an outsider access",
    (plan) => {
      plan.steps.push({
        id: "s03-restore-access-policy",
        kind: "restore-access-policy",
        target: { vault: vaultTarget(VAULT) },
        parameters: { entries: [{ tenantId: TENANT, objectId: "e0e0e0e0-0000-4000-8000-0000000000e1", permissions: { secrets: ["all"], keys: ["all"], certificates: ["all"] } }] },
        ...common,
      });
    },
  ],
  [
    "an attacker's IP added to the firewall",
    (plan) => {
      const step = plan.steps[0] as Extract<RemediationStep, { kind: "enable-firewall" }>;
      step.parameters.addIpRules.push("185.220.101.45");
    },
  ],
  [
    "purge turned on",
    (plan) => {
      const step = plan.steps[1] as Extract<RemediationStep, { kind: "delete-secrets" }>;
      step.parameters.purge = true;
    },
  ],
];

describe("plans that cannot be edited unnoticed", () => {
  it("no longer exports computePlanId for forging", () => {
    expect(Object.hasOwn(remediation, "computePlanId")).toBe(false);
  });

  it("applies a signed plan that was not edited", async () => {
    const signed = await signPlan(reviewedPlan(), key);
    const result = await applyPlan(signed, fastOptions(new InMemoryJournal(), executorsFor(tenant).executors, { planKey: key }));
    expect(result.status).toBe("completed");
    expect(acls()?.defaultAction).toBe("Deny");
  });

  for (const [name, edit] of edits) {
    it(`refuses a re-hashed plan with ${name} before any write`, async () => {
      const signed = await signPlan(reviewedPlan(), key);
      const forged = rehash(signed, edit);
      const journal = new InMemoryJournal();
      const error = await applyPlan(forged, fastOptions(journal, executorsFor(tenant).executors, { planKey: key })).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: expect.stringMatching(/^KW_REMEDIATION_E002[13]$/) as unknown, category: "invalid-input" });
      expect(await journal.entries()).toEqual([]);
      expect(writeCalls(tenant)).toBe(0);
      expect(acls()?.defaultAction).toBe("Allow");
    });
  }

  it("refuses an edited plan without ever printing the id its content would need", async () => {
    const edited = structuredClone(reviewedPlan());
    (edited.steps[0] as Extract<RemediationStep, { kind: "enable-firewall" }>).parameters.addIpRules.push("185.220.101.45");
    const error = await applyPlan(edited, fastOptions(new InMemoryJournal(), executorsFor(tenant).executors)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "KW_REMEDIATION_E0002" });
    expect(JSON.stringify({ message: (error as Error).message, details: (error as { details?: unknown }).details })).not.toContain(computePlanId(edited).slice(4));
    expect(writeCalls(tenant)).toBe(0);
  });

  it("refuses an unsigned plan when a verification key is configured", async () => {
    await expect(applyPlan(reviewedPlan(), fastOptions(new InMemoryJournal(), executorsFor(tenant).executors, { planKey: key }))).rejects.toMatchObject({
      code: "KW_REMEDIATION_E0022",
    });
    expect(writeCalls(tenant)).toBe(0);
  });

  it("verifies Ed25519 signatures with the public key alone, and refuses another key's signature", async () => {
    const pem = generateEd25519PlanKeyPem();
    const signer = ed25519PlanKey({ privateKey: pem.privateKeyPem });
    const verifier = ed25519PlanKey({ publicKey: pem.publicKeyPem });
    const signed = await signPlan(reviewedPlan(), signer);
    expect(signed.signature?.algorithm).toBe("ed25519");
    await expect(applyPlan(signed, fastOptions(new InMemoryJournal(), executorsFor(tenant).executors, { planKey: verifier, dryRun: true }))).resolves.toMatchObject({ dryRun: true });
    const other = ed25519PlanKey({ privateKey: generateEd25519PlanKeyPem().privateKeyPem });
    await expect(applyPlan(signed, fastOptions(new InMemoryJournal(), executorsFor(tenant).executors, { planKey: other }))).rejects.toMatchObject({
      code: "KW_REMEDIATION_E0023",
    });
    await expect(verifier.sign(new Uint8Array(1))).rejects.toMatchObject({ code: "KW_REMEDIATION_E0024" });
  });

  it("without a key, refuses a vaultUri on a foreign host and a vault whose name, id and URI disagree", async () => {
    const foreign = rehash(reviewedPlan(), (plan) => {
      for (const step of plan.steps) if (step.target.vault !== undefined) step.target.vault.vaultUri = "https://kv-prod.vault.attacker.example/";
    });
    const lookalike = rehash(reviewedPlan(), (plan) => {
      for (const step of plan.steps) if (step.target.vault !== undefined) step.target.vault.vaultUri = "https://kv-prod.vault.azure.net.attacker.example/";
    });
    const moved = rehash(reviewedPlan(), (plan) => {
      for (const step of plan.steps) if (step.target.vault !== undefined) step.target.vault.name = "kv-rbac";
    });
    for (const plan of [foreign, lookalike, moved]) {
      const journal = new InMemoryJournal();
      await expect(applyPlan(plan, fastOptions(journal, executorsFor(tenant).executors))).rejects.toMatchObject({ code: "KW_REMEDIATION_E0021" });
      expect(await journal.entries()).toEqual([]);
    }
    expect(writeCalls(tenant)).toBe(0);
  });

  it("without a key, refuses a step aimed at a target the plan's triage data never named", async () => {
    const plan = remediation.planResponse(
      JSON.parse(readFileSync(new URL("./fixtures/triage-report.json", import.meta.url), "utf8")) as Parameters<typeof remediation.planResponse>[0],
      undefined,
      { now: "2026-11-28T09:01:00Z" },
    );
    expect(plan.basedOn.targets?.vaults.length).toBeGreaterThan(0);
    const retargeted = rehash(plan, (edited) => {
      const step = edited.steps.find((candidate) => candidate.target.principal !== undefined);
      if (step?.target.principal !== undefined) step.target.principal.objectId = "e0e0e0e0-0000-4000-8000-0000000000e1";
    });
    await expect(applyPlan(retargeted, fastOptions(new InMemoryJournal(), executorsFor(tenant).executors))).rejects.toMatchObject({ code: "KW_REMEDIATION_E0021" });
  });
});

describe("risk comes from the engine, not the plan", () => {
  const purgePlan = () =>
    buildPlan([
      {
        kind: "delete-secrets",
        target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "db-password" }] },
        parameters: { purge: true },
        ...common,
        // The file claims a purge is safe, reversible and needs no approval.
        risk: "safe",
        reversible: true,
        requiresApproval: false,
      },
    ]);

  it("asks for approval of a purge whatever the plan says, and tells the approver it is destructive", async () => {
    const asked: ApprovalRequest[] = [];
    const { result } = await applyFast(tenant, purgePlan(), new InMemoryJournal(), {
      approve: (request) => {
        asked.push(request);
        return false;
      },
    });
    expect(result.steps[0]).toMatchObject({ status: "denied", risk: "destructive", reversible: false });
    expect(asked).toHaveLength(1);
    expect(asked[0]?.assessment).toMatchObject({ risk: "destructive", reversible: false, approvalMandatory: true });
    expect(writeCalls(tenant)).toBe(0);
  });

  it("treats a delete on a vault without soft delete as destructive and irreversible", async () => {
    const vault = tenant.state.vaults.get(VAULT_ID);
    if (vault === undefined) throw new Error("seed vault missing");
    vault.resource.properties.enableSoftDelete = false;
    const plan = buildPlan([
      {
        kind: "delete-secrets",
        target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "db-password" }] },
        parameters: { purge: false },
        ...common,
        risk: "safe",
        requiresApproval: false,
      },
    ]);
    const asked: ApprovalRequest[] = [];
    const { result } = await applyFast(tenant, plan, new InMemoryJournal(), { policy: { autoApprove: ["delete-secrets"] }, approve: (request) => (asked.push(request), false) });
    expect(result.steps[0]).toMatchObject({ status: "denied", risk: "destructive", reversible: false });
    expect(asked[0]?.assessment.reasons.join(" ")).toContain("soft delete disabled");
    expect(writeCalls(tenant)).toBe(0);
  });

  it("lets policy auto-approve a reversible step, never a mandatory one", async () => {
    const firewall = buildPlan([
      {
        kind: "enable-firewall",
        target: { vault: vaultTarget(VAULT) },
        parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules: [RESPONDER_IP], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
        ...common,
      },
    ]);
    const applied = await applyFast(tenant, firewall, new InMemoryJournal(), { policy: { autoApprove: ["enable-firewall"] }, approve: () => false });
    expect(applied.result.status).toBe("completed");
    const purge = await applyFast(tenant, purgePlan(), new InMemoryJournal(), { policy: { autoApprove: ["delete-secrets"] }, approve: () => false });
    expect(purge.result.steps[0]?.status).toBe("denied");
  });

  it("a forged approval line in an unsealed journal does not approve a purge", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "kw-forged-")), "journal.jsonl");
    const plan = purgePlan();
    const forged = {
      seq: 1,
      time: "2026-11-28T09:00:00.000Z",
      planId: plan.id,
      stepId: plan.steps[0]?.id,
      kind: "delete-secrets",
      event: "approved",
      code: "KW_REMEDIATION_I0002",
      message: "approved",
      data: { by: "ciso", approvedPlanId: plan.id, approvedStepId: plan.steps[0]?.id, stepDigest: remediation.stepDigest(plan.steps[0] as RemediationStep) },
    };
    writeFileSync(path, `${JSON.stringify(forged)}\n`);
    const { result } = await applyFast(tenant, plan, FileJournal.open(path), { approve: undefined });
    expect(result.steps[0]?.status).toBe("denied");
    expect(writeCalls(tenant)).toBe(0);
  });
});

describe("a journal that is evidence", () => {
  const journalKey = "journal-key-for-tests-0123456789abcdef";
  const restrict = () =>
    buildPlan([
      {
        kind: "enable-firewall",
        target: { vault: vaultTarget(VAULT) },
        parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules: [RESPONDER_IP], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
        ...common,
      },
    ]);

  async function appliedJournal(): Promise<string> {
    const path = join(mkdtempSync(join(tmpdir(), "kw-evidence-")), "journal.jsonl");
    await applyFast(tenant, restrict(), FileJournal.open(path, { key: journalKey }));
    return path;
  }

  it("refuses forged before-state and a forged target in a sealed journal, naming the line", async () => {
    const path = await appliedJournal();
    const lines = readFileSync(path, "utf8").trim().split("\n");
    const index = lines.findIndex((line) => (JSON.parse(line) as { event: string }).event === "succeeded");
    const entry = JSON.parse(lines[index] ?? "{}") as { before: { ipRules: string[] }; data: { target: { vault: unknown } } };
    entry.before.ipRules.push("185.220.101.45/32");
    lines[index] = JSON.stringify(entry);
    writeFileSync(path, `${lines.join("\n")}\n`);
    expect(() => FileJournal.open(path, { key: journalKey })).toThrow(JournalCorruptError);
    expect(() => FileJournal.open(path, { key: journalKey })).toThrow(new RegExp(`line ${index + 1} does not verify`));

    const retargeted = JSON.parse(lines[index] ?? "{}") as { data: { target: { vault: unknown } } };
    retargeted.data.target.vault = vaultTarget("kv-rbac");
    lines[index] = JSON.stringify(retargeted);
    writeFileSync(path, `${lines.join("\n")}\n`);
    expect(() => FileJournal.open(path, { key: journalKey })).toThrow(new RegExp(`line ${index + 1}`));
  });

  it("rollback refuses a journal that is not sealed", async () => {
    const path = await appliedJournal();
    await expect(planRollback(FileJournal.open(path))).rejects.toMatchObject({ code: "KW_REMEDIATION_E0025" });
    const rollback = await planRollback(FileJournal.open(path, { key: journalKey }));
    expect(rollback.steps.map((step) => step.kind)).toEqual(["restore-firewall"]);
  });

  it("a sealed journal with an appended forged line is refused", async () => {
    const path = await appliedJournal();
    const count = readFileSync(path, "utf8").trim().split("\n").length;
    appendFileSync(path, `${JSON.stringify({ seq: count + 1, time: "t", planId: "kwp_x", stepId: "s01", kind: "delete-secrets", event: "approved", code: "c", message: "m" })}\n`);
    expect(() => FileJournal.open(path, { key: journalKey })).toThrow(new RegExp(`line ${count + 1}`));
    expect(policies().some((entry) => entry.objectId === ATTACKER)).toBe(true);
  });
});
