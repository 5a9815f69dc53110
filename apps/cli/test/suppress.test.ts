import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const cli = (...args: string[]) => runCli(args, { cwd: work.dir });
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

beforeAll(async () => {
  copyFileSync(fileURLToPath(new URL("./fixtures/alerts-list.json", import.meta.url)), join(work.dir, "alerts.json"));
  writeFileSync(
    join(work.dir, "rules.json"),
    JSON.stringify({
      rules: [
        {
          name: "backup-app-volume",
          alertType: "SIMULATED_KV_OperationVolumeAnomaly",
          reason: "Other",
          comment: "The nightly backup reads every secret; confirmed with the owner.",
          expiresOn: inDays(30),
          scope: [{ field: "entities.azureresource.resourceid", contains: "Sample-KV" }],
        },
      ],
    }),
  );
  // Valid for the service, but lint error E0205: a never-expiring rule for every alert type blinds Defender.
  writeFileSync(
    join(work.dir, "blinding-rules.json"),
    JSON.stringify({ rules: [{ name: "hide-everything", alertType: "*", reason: "Other", comment: "Too noisy.", scope: [{ field: "entities.azureresource.resourceid", contains: "Sample-KV" }] }] }),
  );
  writeFileSync(join(work.dir, "invalid-rules.json"), JSON.stringify({ rules: [{ name: "x", alertType: "KV_TORAccess", reason: "Because", scope: [] }] }));
  expect((await cli("sandbox", "reset")).code).toBe(0);
});

describe("keywarden suppress", () => {
  it("lints a valid rules file (json)", async () => {
    const result = await cli("suppress", "lint", "rules.json", "--format", "json");
    expect(result.code, result.stderr).toBe(0);
    expect(parseJsonOutput(result)).toMatchObject({ valid: true, rules: 1 });
  });

  it("lists every problem of an invalid rules file and exits 2", async () => {
    const result = await cli("suppress", "lint", "invalid-rules.json");
    expect(result.code).toBe(2);
    expect(result.stderr.match(/KW_SUPPRESSION_E01/g)?.length).toBeGreaterThanOrEqual(2);
    expect(result.stderr).toMatch(/invalid-rules\.json has \d+ invalid rule propert/);
  });

  it("previews which alerts a rule would suppress", async () => {
    const result = await cli("suppress", "preview", "rules.json", "--alerts", "alerts.json", "--format", "json");
    expect(result.code, result.stderr).toBe(0);
    const preview = parseJsonOutput(result);
    expect(preview.total).toBe(5);
    expect(preview.rules[0].suppressed.length).toBeGreaterThan(0);
    const text = await cli("suppress", "preview", "rules.json", "--alerts", "alerts.json");
    expect(text.stdout).toMatch(/of 5 alert\(s\) would be suppressed/);
  });

  it("plans, applies (dry run, then for real) and re-applies as a no-op against the sandbox", async () => {
    const plan = await cli("--sandbox", "suppress", "plan", "rules.json", "--format", "json");
    expect(plan.code, plan.stderr).toBe(0);
    const changes = parseJsonOutput(plan).plans.flatMap((entry: JsonDocument) => entry.plan.changes);
    expect(changes.some((change: JsonDocument) => change.kind === "create" && change.name === "backup-app-volume")).toBe(true);

    const refused = await cli("--sandbox", "suppress", "apply", "rules.json");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/pass --yes/);

    const dry = await cli("--sandbox", "suppress", "apply", "rules.json", "--dry-run", "--format", "json");
    expect(dry.code, dry.stderr).toBe(0);
    const stillPlanned = await cli("--sandbox", "suppress", "plan", "rules.json", "--format", "json");
    expect(parseJsonOutput(stillPlanned).plans.flatMap((entry: JsonDocument) => entry.plan.changes).length).toBeGreaterThan(0);

    const applied = await cli("--sandbox", "suppress", "apply", "rules.json", "--yes", "--format", "json");
    expect(applied.code, applied.stderr).toBe(0);
    expect(parseJsonOutput(applied).ok).toBe(true);

    const after = await cli("--sandbox", "suppress", "plan", "rules.json", "--format", "json");
    expect(parseJsonOutput(after).plans.flatMap((entry: JsonDocument) => entry.plan.changes.filter((change: JsonDocument) => change.name === "backup-app-volume"))).toEqual([]);
  });
});

describe("keywarden suppress apply <plan.json>: exactly the saved plan, while the live rules still match it", () => {
  const planWork = makeWorkDir();
  afterAll(() => planWork.cleanup());
  const run = (...args: string[]) => runCli(args, { cwd: planWork.dir });
  const rules = (comment: string) =>
    JSON.stringify({
      rules: [
        {
          name: "backup-app-volume",
          alertType: "SIMULATED_KV_OperationVolumeAnomaly",
          reason: "Other",
          comment,
          expiresOn: inDays(30),
          scope: [{ field: "entities.azureresource.resourceid", contains: "Sample-KV" }],
        },
      ],
    });
  const liveRule = async () => {
    const got = await run("--sandbox", "suppress", "get", "backup-app-volume", "--format", "json");
    return got.code === 0 ? parseJsonOutput(got) : undefined;
  };

  beforeAll(async () => {
    expect((await run("sandbox", "reset")).code).toBe(0);
    writeFileSync(join(planWork.dir, "rules.json"), rules("The nightly backup reads every secret; confirmed with the owner."));
    writeFileSync(join(planWork.dir, "rules-v2.json"), rules("Backup volume, re-confirmed with the owner."));
  });

  it("applies the saved plan as saved (the rules file is not read again)", async () => {
    const plan = await run("--sandbox", "suppress", "plan", "rules.json", "--out", "plan.json");
    expect(plan.code, plan.stderr).toBe(0);
    // The rules file changes after the plan was saved: apply must not pick that up.
    writeFileSync(join(planWork.dir, "rules.json"), rules("edited after planning"));
    const applied = await run("--sandbox", "suppress", "apply", "plan.json", "--yes", "--format", "json");
    expect(applied.code, applied.stderr).toBe(0);
    expect(parseJsonOutput(applied)).toMatchObject({ savedPlan: true, ok: true });
    expect(JSON.stringify(await liveRule())).toContain("The nightly backup reads every secret");
    expect(JSON.stringify(await liveRule())).not.toContain("edited after planning");
  });

  it("refuses a saved plan whose rules changed since (KW_CLI_E0031, every problem listed, nothing written)", async () => {
    // A plan to update the rule, saved; then someone else changes the same rule.
    expect((await run("--sandbox", "suppress", "plan", "rules-v2.json", "--no-prune", "--out", "update.json")).code).toBe(0);
    // A plan to create a rule that someone else then creates.
    writeFileSync(join(planWork.dir, "other.json"), JSON.stringify({ rules: [{ ...JSON.parse(rules("other")).rules[0], name: "other-rule" }] }));
    expect((await run("--sandbox", "suppress", "plan", "other.json", "--no-prune", "--out", "create.json")).code).toBe(0);
    writeFileSync(join(planWork.dir, "both.json"), JSON.stringify([...JSON.parse(readFileSync(join(planWork.dir, "update.json"), "utf8")), ...JSON.parse(readFileSync(join(planWork.dir, "create.json"), "utf8"))]));
    const changedBySomeoneElse = JSON.stringify({ rules: [JSON.parse(rules("changed by someone else")).rules[0], { ...JSON.parse(rules("other")).rules[0], name: "other-rule" }] });
    writeFileSync(join(planWork.dir, "someone-else.json"), changedBySomeoneElse);
    expect((await run("--sandbox", "suppress", "apply", "someone-else.json", "--yes", "--no-prune")).code).toBe(0);

    const refused = await run("--sandbox", "suppress", "apply", "both.json", "--yes");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("[KW_CLI_E0031]");
    expect(refused.stderr).toMatch(/both\.json: subscription .*: backup-app-volume: changed since the plan was made/u);
    expect(refused.stderr).toMatch(/both\.json: subscription .*: other-rule: the plan creates it, but it exists now/u);
    expect(JSON.stringify(await liveRule())).toContain("changed by someone else");
  });
});

describe("keywarden --sandbox suppress judges rules at the sandbox's time", () => {
  const sandboxWork = makeWorkDir();
  afterAll(() => sandboxWork.cleanup());
  const run = (...args: string[]) => runCli(args, { cwd: sandboxWork.dir });

  beforeAll(async () => {
    // A sandbox tenant a year behind the machine's clock, and a rule that expires 20 days after the sandbox's "now":
    // still active for the sandbox, long expired for the machine.
    expect((await run("sandbox", "reset")).code).toBe(0);
    expect((await run("sandbox", "export", "--out", "seed.json")).code).toBe(0);
    const seed = JSON.parse(readFileSync(join(sandboxWork.dir, "seed.json"), "utf8"));
    const sandboxTime = Date.now() - 365 * 86_400_000;
    seed.time = new Date(sandboxTime).toISOString();
    writeFileSync(join(sandboxWork.dir, "seed.json"), JSON.stringify(seed));
    expect((await run("sandbox", "reset", "--seed", "seed.json")).code).toBe(0);
    copyFileSync(fileURLToPath(new URL("./fixtures/alerts-list.json", import.meta.url)), join(sandboxWork.dir, "alerts.json"));
    writeFileSync(
      join(sandboxWork.dir, "rules.json"),
      JSON.stringify({
        rules: [
          {
            name: "backup-app-volume",
            alertType: "SIMULATED_KV_OperationVolumeAnomaly",
            reason: "Other",
            comment: "The nightly backup reads every secret; confirmed with the owner.",
            expiresOn: new Date(sandboxTime + 20 * 86_400_000).toISOString(),
            scope: [{ field: "entities.azureresource.resourceid", contains: "Sample-KV" }],
          },
        ],
      }),
    );
  });

  it("lint: not expired at the sandbox's time (exit 0), expired at the machine's (exit 1)", async () => {
    const sandbox = await run("--sandbox", "suppress", "lint", "rules.json", "--format", "json");
    expect(sandbox.code, sandbox.stderr).toBe(0);
    const codes = (parseJsonOutput(sandbox).findings as JsonDocument[]).map((finding) => finding.code);
    expect(codes).not.toContain("KW_SUPPRESSION_E0204");
    expect(codes).not.toContain("KW_SUPPRESSION_W0202");

    const live = await run("suppress", "lint", "rules.json", "--format", "json");
    expect(live.code).toBe(1);
    expect((parseJsonOutput(live).findings as JsonDocument[]).map((finding) => finding.code)).toContain("KW_SUPPRESSION_E0204");
  });

  it("preview: the rule is active at the sandbox's time and hides alerts; at the machine's time it is inactive", async () => {
    const sandbox = parseJsonOutput(await run("--sandbox", "suppress", "preview", "rules.json", "--alerts", "alerts.json", "--format", "json"));
    expect(sandbox.rules[0].active).toBe(true);
    expect(sandbox.suppressedAlertIds.length).toBeGreaterThan(0);
    const live = parseJsonOutput(await run("suppress", "preview", "rules.json", "--alerts", "alerts.json", "--format", "json"));
    expect(live.rules[0].active).toBe(false);
    expect(live.suppressedAlertIds).toEqual([]);
  });

  it("apply --yes refuses a rules file with lint errors, printing them as errors; nothing is written (issue 13)", async () => {
    const refused = await cli("--sandbox", "suppress", "apply", "blinding-rules.json", "--yes");
    expect(refused.code, refused.stderr).not.toBe(0);
    expect(refused.stderr).toMatch(/error:.*hide-everything.*KW_SUPPRESSION_E0205/);
    expect(refused.stderr).not.toMatch(/warning:.*E0205/);
    const after = await cli("--sandbox", "suppress", "plan", "blinding-rules.json", "--no-prune", "--format", "json");
    expect(JSON.stringify(parseJsonOutput(after))).toContain('"kind":"create"');
  });
});
