import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, startCli, type JsonDocument } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const cli = (args: string[], env?: Record<string, string>) => runCli(args, { cwd: work.dir, ...(env === undefined ? {} : { env }) });

/** The parts of the tenant the response changes and rollback restores: each vault's network rules and access policies. */
function accessState(): unknown {
  const seed = JSON.parse(readFileSync(join(work.dir, ".keywarden/sandbox.json"), "utf8"));
  // Azure treats permission lists as sets: compare them sorted.
  const sortedPermissions = (entry: JsonDocument) => ({
    ...entry,
    permissions: Object.fromEntries(Object.entries(entry.permissions as Record<string, string[]>).map(([kind, list]) => [kind, [...list].sort()])),
  });
  return seed.vaults.map((vault: JsonDocument) => ({
    id: vault.id,
    networkAcls: vault.properties.networkAcls ?? null,
    accessPolicies: ((vault.properties.accessPolicies ?? []) as JsonDocument[]).map(sortedPermissions),
  }));
}

interface JournalLine {
  seq: number;
  event: string;
  stepId: string;
  dryRun?: boolean;
}

function readJournal(path: string): JournalLine[] {
  return readFileSync(join(work.dir, path), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as JournalLine);
}

let alertId = "";
let initial: unknown;

beforeAll(async () => {
  const reset = await cli(["sandbox", "reset"]);
  expect(reset.code, reset.stderr).toBe(0);
  const list = await cli(["--sandbox", "alerts", "list", "--format", "json"]);
  alertId = parseJsonOutput<JsonDocument[]>(list)[0].id;
  initial = accessState();
});

describe("respond → apply → rollback, each its own process, on one sandbox tenant", () => {
  it("triage and impact read the alert by resource id (text and json)", async () => {
    const triage = await cli(["--sandbox", "triage", alertId, "--format", "json"]);
    expect(triage.code, triage.stderr).toBe(0);
    const report = parseJsonOutput(triage);
    expect(report.alertId.toLowerCase()).toBe(alertId.toLowerCase());
    expect(report.decision.recommendedActions.length).toBeGreaterThan(0);
    expect((await cli(["--sandbox", "triage", alertId])).stdout.length).toBeGreaterThan(0);

    const impact = await cli(["--sandbox", "impact", alertId, "--format", "json"]);
    expect(impact.code, impact.stderr).toBe(0);
    expect(parseJsonOutput(impact).schemaVersion).toBe(1);
    expect((await cli(["--sandbox", "impact", alertId])).code).toBe(0);
  });

  it("respond writes a plan and changes nothing", async () => {
    const result = await cli(["--sandbox", "respond", alertId, "--out", "plan.json", "--format", "json"]);
    expect(result.code, result.stderr).toBe(0);
    const output = parseJsonOutput(result);
    expect(output.plan.steps.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(work.dir, "plan.json"), "utf8")).id).toBe(output.plan.id);
    expect(accessState()).toEqual(initial);
    const text = await cli(["--sandbox", "respond", alertId]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("Nothing was changed");
  });

  it("apply without a terminal and without --yes refuses before writing anything (exit 1)", async () => {
    const result = await cli(["--sandbox", "apply", "plan.json", "--journal", "refused.jsonl"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/need approval .* pass --yes/);
    expect(accessState()).toEqual(initial);
  });

  it("apply --dry-run journals every step and changes nothing", async () => {
    const result = await cli(["--sandbox", "apply", "plan.json", "--dry-run", "--journal", "dry.jsonl", "--format", "json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(parseJsonOutput(result).dryRun).toBe(true);
    expect(accessState()).toEqual(initial);
    expect(readJournal("dry.jsonl").every((entry) => entry.dryRun === true)).toBe(true);
  });

  it("refuses a plan edited into an invalid state: every problem on its own error line, then the summary, exit 2, nothing written", async () => {
    const plan = JSON.parse(readFileSync(join(work.dir, "plan.json"), "utf8"));
    plan.steps[0].kind = "delete-everything";
    writeFileSync(join(work.dir, "edited-plan.json"), JSON.stringify(plan));
    const result = await cli(["--sandbox", "apply", "edited-plan.json", "--yes"]);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    for (const line of lines) expect(line).toMatch(/^error: /);
    expect(lines.at(-1)).toMatch(/edited-plan\.json is not a valid remediation plan/);
    expect(accessState()).toEqual(initial);
  });

  it("apply --yes applies, journals and reports; a second apply changes nothing", async () => {
    const result = await cli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "incident.jsonl", "--report", "incident.md", "--format", "json"]);
    expect(result.code, result.stderr).toBe(0);
    const output = parseJsonOutput(result);
    expect(output.status).toBe("completed");
    expect(accessState()).not.toEqual(initial);
    expect(readFileSync(join(work.dir, "incident.md"), "utf8")).toMatch(/^# /);
    const entries = readJournal("incident.jsonl");
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));

    const again = await cli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "incident.jsonl", "--format", "json"]);
    expect(again.code, again.stderr).toBe(0);
    const steps = parseJsonOutput(again).steps as JsonDocument[];
    expect(steps.every((step) => step.status === "completed-earlier" || step.status === "already-done")).toBe(true);
  });

  it("rollback restores the prior access state", async () => {
    const dry = await cli(["--sandbox", "rollback", "--journal", "incident.jsonl", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    const result = await cli(["--sandbox", "rollback", "--journal", "incident.jsonl", "--yes", "--format", "json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(accessState()).toEqual(initial);
  });

  it("rollback without a journal file is invalid input", async () => {
    const result = await cli(["--sandbox", "rollback", "--journal", "nope.jsonl", "--yes"]);
    expect(result.code).toBe(2);
    expect(existsSync(join(work.dir, "nope.jsonl"))).toBe(false);
  });
});

describe("Ctrl-C during apply", () => {
  it("stops after the current step with the journal intact (exit 130); applying again resumes and finishes", async () => {
    await cli(["sandbox", "reset"]);
    const before = accessState();
    const plan = JSON.parse(readFileSync(join(work.dir, "plan.json"), "utf8"));
    // Slow every write down so the interrupt lands while the first steps run.
    const faults = JSON.stringify([
      { method: "PATCH", url: "https://management.azure.com/**", delayInMs: 400 },
      { method: "PUT", url: "https://management.azure.com/**", delayInMs: 400 },
      { method: "POST", url: "https://management.azure.com/**", delayInMs: 400 },
      { method: "DELETE", url: "https://management.azure.com/**", delayInMs: 400 },
      { method: "PATCH", url: "https://*.vault.azure.net/**", delayInMs: 400 },
      { method: "POST", url: "https://*.vault.azure.net/**", delayInMs: 400 },
    ]);
    const { child, done } = startCli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "interrupted.jsonl"], {
      cwd: work.dir,
      env: { KEYWARDEN_SANDBOX_FAULTS: faults },
    });
    const journalPath = join(work.dir, "interrupted.jsonl");
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (existsSync(journalPath) && readJournal("interrupted.jsonl").some((entry) => entry.event === "started")) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill("SIGINT");
    const interrupted = await done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toMatch(/stopping after the current step/);
    const entries = readJournal("interrupted.jsonl");
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
    const finished = new Set(entries.filter((entry) => entry.event === "succeeded" || entry.event === "skipped").map((entry) => entry.stepId));
    expect(finished.size).toBeLessThan(plan.steps.length);

    const resumed = await cli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "interrupted.jsonl", "--format", "json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const steps = parseJsonOutput(resumed).steps as JsonDocument[];
    for (const step of steps) {
      if (finished.has(step.stepId)) expect(step.status).toBe("completed-earlier");
    }
    expect(accessState()).not.toEqual(before);
  });
});

describe("rollback retry: a rollback that failed midway is resumed by running rollback again", () => {
  it("fails on the firewall PATCH once (exit 1), then --plan picks the applied plan and the firewall is restored", async () => {
    expect((await cli(["sandbox", "reset"])).code).toBe(0);
    const before = accessState();
    const respond = await cli(["--sandbox", "respond", alertId, "--out", "retry-plan.json"]);
    expect(respond.code, respond.stderr).toBe(0);
    const applied = await cli(["--sandbox", "apply", "retry-plan.json", "--yes", "--journal", "retry.jsonl", "--format", "json"]);
    expect(applied.code, applied.stderr).toBe(0);
    const appliedPlanId = parseJsonOutput(applied).planId as string;
    const closed = accessState();
    expect(closed).not.toEqual(before);

    // Azure refuses the rollback's firewall PATCH once (a conflict is not retried): the rollback stops there.
    const faults = JSON.stringify([{ method: "PATCH", url: "https://management.azure.com/**", status: 409, times: 1 }]);
    const failed = await cli(["--sandbox", "rollback", "--journal", "retry.jsonl", "--yes", "--format", "json"], { KEYWARDEN_SANDBOX_FAULTS: faults });
    expect(failed.code, failed.stderr).toBe(1);
    const failedOutput = parseJsonOutput(failed);
    expect(failedOutput.status).toBe("failed");
    expect(failedOutput.rollbackOf).toBe(appliedPlanId);
    const firewallStep = (failedOutput.steps as JsonDocument[]).find((step) => step.kind === "restore-firewall");
    expect(firewallStep?.status).toBe("failed");
    const seed = JSON.parse(readFileSync(join(work.dir, ".keywarden/sandbox.json"), "utf8"));
    expect(seed.vaults[0].properties.networkAcls).toEqual((closed as JsonDocument[])[0].networkAcls);

    // The journal now holds the applied plan and the failed rollback; --plan naming the rollback is refused.
    const wrongPlan = await cli(["--sandbox", "rollback", "--journal", "retry.jsonl", "--yes", "--plan", failedOutput.planId as string]);
    expect(wrongPlan.code).toBe(2);
    expect(wrongPlan.stderr).toMatch(/is itself a rollback \(of kwp_[0-9a-f]+\): run `.*rollback.*--plan kwp_[0-9a-f]+`, which resumes it/);
    const unknownPlan = await cli(["--sandbox", "rollback", "--journal", "retry.jsonl", "--yes", "--plan", "kwp_nope", "--format", "json"]);
    expect(unknownPlan.code).toBe(2);
    expect(parseJsonOutput(unknownPlan).error.message).toMatch(/records no applied change of plan kwp_nope/);

    // Rolling back again re-plans the same rollback and resumes it: finished steps are not repeated.
    const resumed = await cli(["--sandbox", "rollback", "--journal", "retry.jsonl", "--yes", "--format", "json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const resumedOutput = parseJsonOutput(resumed);
    expect(resumedOutput.planId).toBe(failedOutput.planId);
    expect(resumedOutput.status).toBe("completed");
    for (const step of failedOutput.steps as JsonDocument[]) {
      const now = (resumedOutput.steps as JsonDocument[]).find((candidate) => candidate.stepId === step.stepId);
      if (step.status === "succeeded" || step.status === "completed") expect(now?.status).toBe("completed-earlier");
    }
    expect(accessState()).toEqual(before);

    // --plan names the applied plan explicitly: the rollback is already complete, nothing is written again.
    const explicit = await cli(["--sandbox", "rollback", "--journal", "retry.jsonl", "--yes", "--plan", appliedPlanId, "--format", "json"]);
    expect(explicit.code, explicit.stderr).toBe(0);
    expect(parseJsonOutput(explicit).planId).toBe(failedOutput.planId);
    expect((parseJsonOutput(explicit).steps as JsonDocument[]).every((step) => step.status === "completed-earlier")).toBe(true);
    expect(accessState()).toEqual(before);
  });
});
