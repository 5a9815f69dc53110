import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { hintArgs, makeWorkDir, parseJsonOutput, runCli, runOnTerminal, startCli, type CliResult, type JsonDocument } from "./helpers/run-cli.js";

/**
 * Every `keywarden ...` command the CLI prints as advice is captured from real output and run exactly as printed
 * (split as a shell splits it, `keywarden` mapped to the built bin), in the sandbox, and must do what it says.
 * The respond → apply → rollback chain and `sandbox reset`'s "Next:" are in state-and-hints.test.ts.
 */

const hasScript = existsSync("/usr/bin/script");

/** The `keywarden ...` command printed after `label`, up to the end of the line or a closing backquote. */
function hintAfter(text: string, label: string): string {
  const start = text.indexOf(label);
  expect(start, `no "${label}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  const match = /keywarden [^\r\n`]*/.exec(text.slice(start + label.length));
  expect(match, `no command after "${label}" in:\n${text}`).not.toBeNull();
  return (match?.[0] ?? "").trim();
}

/** Answers every approval question with "a" (approve this and every later step), once per question. */
function approveAll(): (output: string) => string | undefined {
  let asked = 0;
  return (output) => {
    const questions = output.split("Apply this step?").length - 1;
    if (questions > asked) {
      asked = questions;
      return "a\n";
    }
    return undefined;
  };
}

/** The vaults' firewall and access policies in the sandbox state: what the response changes and rollback restores. */
function accessState(dir: string): unknown {
  const seed = JSON.parse(readFileSync(join(dir, ".keywarden/sandbox.json"), "utf8"));
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

function expectOk(result: CliResult | { code: number | null; output: string }): void {
  expect(result.code, "output" in result ? result.output : `${result.stdout}\n${result.stderr}`).toBe(0);
}

async function firstAlertId(dir: string): Promise<string> {
  const listed = await runCli(["--sandbox", "alerts", "list", "--format", "json"], { cwd: dir });
  expectOk(listed);
  return (parseJsonOutput<JsonDocument[]>(listed)[0] as { id: string }).id;
}

describe.skipIf(!hasScript)("apply interrupted with Ctrl-C: the resume hint, then rollback's dry-run hint, run as printed", () => {
  const work = makeWorkDir();
  afterAll(() => work.cleanup());
  const cli = (args: string[], env?: Record<string, string>) => runCli(args, { cwd: work.dir, ...(env === undefined ? {} : { env }) });
  let initial: unknown;

  beforeAll(async () => {
    expectOk(await cli(["sandbox", "reset"]));
    initial = accessState(work.dir);
    expectOk(await cli(["--sandbox", "respond", await firstAlertId(work.dir), "--out", "plan.json"]));
  });

  it("the real Ctrl-C hint resumes the interrupted apply and finishes it; rollback --dry-run's hint then undoes it", async () => {
    // Slow every write down so the interrupt lands while the first steps run.
    const faults = JSON.stringify(
      ["PATCH", "PUT", "POST", "DELETE"].flatMap((method) => [
        { method, url: "https://management.azure.com/**", delayInMs: 400 },
        { method, url: "https://*.vault.azure.net/**", delayInMs: 400 },
      ]),
    );
    const { child, done } = startCli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "interrupted.jsonl"], { cwd: work.dir, env: { KEYWARDEN_SANDBOX_FAULTS: faults } });
    const journal = join(work.dir, "interrupted.jsonl");
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(existsSync(journal) && readFileSync(journal, "utf8").includes('"event":"started"'))) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill("SIGINT");
    const interrupted = await done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    const resumeHint = hintAfter(interrupted.stdout, "Interrupted: run `");
    expect(resumeHint).toBe("keywarden --sandbox apply plan.json --journal interrupted.jsonl");

    // As printed: no --yes, so a person at a terminal approves what is left.
    const resumed = await runOnTerminal(hintArgs(resumeHint), { cwd: work.dir, answer: approveAll() });
    expectOk(resumed);
    expect(resumed.output).toContain("done earlier");
    expect(resumed.output).toMatch(/Plan kwp_\w+: completed/);
    expect(accessState(work.dir)).not.toEqual(initial);

    const dry = await cli(["--sandbox", "rollback", "--journal", "interrupted.jsonl", "--dry-run"]);
    expectOk(dry);
    const rollbackHint = hintAfter(dry.stdout, "To make the changes:");
    expect(rollbackHint).toMatch(/^keywarden --sandbox rollback --journal interrupted\.jsonl( --plan kwp_\w+)?$/);
    const rolledBack = await runOnTerminal(hintArgs(rollbackHint), { cwd: work.dir, answer: approveAll() });
    expectOk(rolledBack);
    expect(rolledBack.output).toMatch(/Rollback kwp_\w+: completed/);
    expect(accessState(work.dir)).toEqual(initial);
  }, 300_000);

  it("naming the rollback plan with --plan prints a rollback command that works as printed (it resumes that rollback)", async () => {
    const entries = readFileSync(join(work.dir, "interrupted.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    const rollbackPlanId = entries.find((entry) => entry.event === "planned" && entry.data?.rollbackOf !== undefined)?.planId as string | undefined;
    expect(rollbackPlanId).toMatch(/^kwp_/);
    const refused = await cli(["--sandbox", "rollback", "--journal", "interrupted.jsonl", "--plan", rollbackPlanId ?? ""]);
    expect(refused.code).toBe(2);
    const hint = hintAfter(refused.stderr, "run `");
    expect(hint).toContain("--sandbox");
    const again = await runOnTerminal(hintArgs(hint), { cwd: work.dir, answer: approveAll() });
    expectOk(again);
    expect(accessState(work.dir)).toEqual(initial);
  }, 120_000);
});

describe("demo and sandbox hints", () => {
  const work = makeWorkDir();
  afterAll(() => work.cleanup());
  const cli = (args: string[]) => runCli(args, { cwd: work.dir });

  it("demo's 'Try it step by step' (two commands joined by &&) resets the sandbox to the demo's scenario and lists its alerts", async () => {
    const demo = await cli(["demo", "--scenario", "tor-secret-reads"]);
    expectOk(demo);
    const line = demo.stdout.slice(demo.stdout.indexOf("Try it step by step:") + "Try it step by step:".length).split("\n")[0] ?? "";
    const commands = line.split(" && ").map((part) => part.trim());
    expect(commands).toHaveLength(2);
    const reset = await cli(hintArgs(commands[0] ?? ""));
    expectOk(reset);
    expect(reset.stdout).toContain("scenario tor-secret-reads");
    const listed = await cli([...hintArgs(commands[1] ?? ""), "--format", "json"]);
    expectOk(listed);
    expect(parseJsonOutput<JsonDocument[]>(listed).length).toBeGreaterThan(0);
  });

  it("demo with --sandbox-state prints hints that use that state file", async () => {
    const demo = await cli(["--sandbox-state", "elsewhere.json", "demo"]);
    expectOk(demo);
    const line = demo.stdout.slice(demo.stdout.indexOf("Try it step by step:") + "Try it step by step:".length).split("\n")[0] ?? "";
    const [reset, list] = line.split(" && ").map((part) => hintArgs(part));
    expectOk(await cli(reset ?? []));
    expect(existsSync(join(work.dir, "elsewhere.json"))).toBe(true);
    const listed = await cli(list ?? []);
    expectOk(listed);
    expect(listed.stderr).toContain("Sandbox: elsewhere.json");
  });

  it("sandbox scenarios' 'Run one:' offers two commands; both run as printed", async () => {
    const scenarios = await cli(["sandbox", "scenarios"]);
    expectOk(scenarios);
    const line = scenarios.stdout.slice(scenarios.stdout.indexOf("Run one:") + "Run one:".length).split("\n")[0] ?? "";
    const commands = line.split(/\s+or\s+(?=keywarden )/).map((part) => part.trim());
    expect(commands).toHaveLength(2);
    const demo = await cli(hintArgs(commands[0] ?? ""));
    expectOk(demo);
    expect(demo.stdout).toContain("Try it step by step:");
    const reset = await cli(hintArgs(commands[1] ?? ""));
    expectOk(reset);
    expect(reset.stdout).toContain("Sandbox reset from scenario tor-secret-reads");
  });

  for (const [name, content] of [
    ["not a seed", JSON.stringify({ vaults: 5 })],
    ["not JSON (a torn write)", '{"subscriptions": ['],
  ] as const) {
    it(`a sandbox state that is ${name}: the error says 'Start over with' a command that works as printed`, async () => {
      writeFileSync(join(work.dir, ".keywarden", "sandbox.json"), content);
      const broken = await cli(["--sandbox", "alerts", "list"]);
      expect(broken.code).toBe(2);
      const hint = hintAfter(broken.stderr, "Start over with `");
      expectOk(await cli(hintArgs(hint)));
      expectOk(await cli(["--sandbox", "alerts", "list"]));
    });
  }
});

describe("hints in refusals", () => {
  const work = makeWorkDir();
  afterAll(() => work.cleanup());
  const cli = (args: string[]) => runCli(args, { cwd: work.dir });
  beforeAll(async () => expectOk(await cli(["sandbox", "reset"])));

  it("suppress get of an unknown rule: 'list them with' a command that lists the sandbox's rules", async () => {
    const missing = await cli(["--sandbox", "suppress", "get", "no-such-rule"]);
    expect(missing.code).not.toBe(0);
    const hint = hintAfter(missing.stderr, "list them with `");
    expect(hint).toBe("keywarden --sandbox suppress list");
    const listed = await cli(hintArgs(hint));
    expectOk(listed);
    expect(listed.stderr).toContain("Sandbox: .keywarden/sandbox.json");
  });

  it("respond on a file with several alerts: 'list their ids with' a command that works on a path with a space", async () => {
    copyFileSync(fileURLToPath(new URL("./fixtures/alerts-list.json", import.meta.url)), join(work.dir, "two alerts.json"));
    const refused = await cli(["--sandbox", "respond", "two alerts.json"]);
    expect(refused.code).toBe(2);
    const hint = hintAfter(refused.stderr, "list their ids with `");
    const parsed = await cli([...hintArgs(hint), "--format", "json"]);
    expectOk(parsed);
    expect(parseJsonOutput<JsonDocument[]>(parsed).length).toBeGreaterThan(1);
  });
});

describe("suppress apply refusing lint errors: the lint command it points to", () => {
  const work = makeWorkDir();
  afterAll(() => work.cleanup());
  const cli = (args: string[]) => runCli(args, { cwd: work.dir });

  it("runs as printed (in the sandbox, on a path with a space) and shows the errors that refused the apply", async () => {
    expectOk(await cli(["sandbox", "reset"]));
    // Valid for the service, but lint error E0205: a never-expiring rule for every alert type blinds Defender.
    const rules = { rules: [{ name: "hide-everything", alertType: "*", reason: "Other", comment: "Too noisy.", scope: [{ field: "entities.azureresource.resourceid", contains: "Sample-KV" }] }] };
    writeFileSync(join(work.dir, "blinding rules.json"), JSON.stringify(rules));
    const refused = await cli(["--sandbox", "suppress", "apply", "blinding rules.json", "--yes"]);
    expect(refused.code).not.toBe(0);
    const hint = hintAfter(refused.stderr, "(see `");
    const linted = await cli(hintArgs(hint));
    // Exit 1: the file is valid but has lint errors, which the lint lists.
    expect(linted.code, linted.stderr).toBe(1);
    expect(linted.stdout).toMatch(/error hide-everything.*\n.*KW_SUPPRESSION_E0205/);
    expect(linted.stderr).toContain("Sandbox: .keywarden/sandbox.json");
  });
});

describe("simulate before the samples show up: the alerts list it points to", () => {
  const work = makeWorkDir();
  afterAll(() => work.cleanup());

  it("runs as printed in the sandbox and lists the simulated alerts", async () => {
    expectOk(await runCli(["sandbox", "reset"], { cwd: work.dir }));
    // Defender answers the list before the samples are indexed: an empty page for every alerts GET.
    const faults = JSON.stringify([{ method: "GET", url: "https://management.azure.com/**/alerts*", status: 200, body: { value: [] } }]);
    const simulated = await runCli(["--sandbox", "simulate"], { cwd: work.dir, env: { KEYWARDEN_SANDBOX_FAULTS: faults } });
    expectOk(simulated);
    const hint = hintAfter(simulated.stdout, "to appear");
    const listed = await runCli([...hintArgs(hint), "--format", "json"], { cwd: work.dir });
    expectOk(listed);
    expect(parseJsonOutput<JsonDocument[]>(listed).filter((alert) => alert.simulated === true).length).toBeGreaterThan(0);
  });
});

describe.skipIf(!hasScript)("the owner-confirmed follow-up hint, run as printed", () => {
  const work = makeWorkDir();
  afterAll(() => work.cleanup());
  const cli = (args: string[]) => runCli(args, { cwd: work.dir });

  it("after an apply that handed a rotation to the owner, the printed respond --owner-confirmed command plans the disabling, and its Next: applies it", async () => {
    expectOk(await cli(["sandbox", "reset"]));
    // No rotator may mint a value (as live): the rotation becomes an owner task with a follow-up.
    writeFileSync(join(work.dir, "live-like.json"), JSON.stringify({ remediation: { secrets: { allowRandomValue: false } } }));
    expectOk(await cli(["--sandbox", "respond", await firstAlertId(work.dir), "--policy", "live-like.json", "--out", "plan.json"]));
    const applied = await cli(["--sandbox", "apply", "plan.json", "--yes", "--policy", "live-like.json"]);
    expectOk(applied);
    const hint = hintAfter(applied.stdout, "Then plan the follow-up that disables them: ");
    expect(hint).toContain("--owner-confirmed");
    const followUp = await cli(hintArgs(hint));
    expectOk(followUp);
    const plan = JSON.parse(readFileSync(join(work.dir, "follow-up-plan.json"), "utf8"));
    const confirmed = hintArgs(hint)[hintArgs(hint).indexOf("--owner-confirmed") + 1];
    const disabled = (plan.steps as JsonDocument[]).filter((step) => step.kind === "disable-secrets").flatMap((step) => (step.target.objects as { name: string }[]).map((object) => object.name));
    expect(disabled).toContain(confirmed);
    const next = await runOnTerminal(hintArgs(hintAfter(followUp.stdout, "Next: ")), { cwd: work.dir, answer: approveAll() });
    expectOk(next);
    expect(next.output).toMatch(/Plan kwp_\w+: completed/);
  }, 300_000);
});
