import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { hintArgs, makeWorkDir, parseJsonOutput, runCli, runOnTerminal, type JsonDocument } from "./helpers/run-cli.js";

const hasScript = existsSync("/usr/bin/script");

/** The first `keywarden ...` command after `label` in `text`, up to the end of the line (or a closing backquote). */
function hintAfter(text: string, label: string): string {
  const start = text.indexOf(label);
  expect(start, `no "${label}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + label.length);
  const match = /keywarden [^\r\n`]*/.exec(rest);
  expect(match, `no command after "${label}"`).not.toBeNull();
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

describe("the sandbox state file is found, not assumed", () => {
  const project = makeWorkDir();
  const elsewhere = makeWorkDir({ project: false });
  const stateHome = mkdtempSync(join(tmpdir(), "keywarden-xdg-"));
  afterAll(() => {
    project.cleanup();
    elsewhere.cleanup();
    rmSync(stateHome, { recursive: true, force: true });
  });

  it("walks up from a subdirectory to the nearest .keywarden/, names it on stderr, and `sandbox where` says so", async () => {
    expect((await runCli(["sandbox", "reset", "--scenario", "tor-secret-reads"], { cwd: project.dir })).code).toBe(0);
    const deeper = join(project.dir, "incidents", "2026-01");
    mkdirSync(deeper, { recursive: true });
    const where = await runCli(["sandbox", "where", "--format", "json"], { cwd: deeper });
    expect(parseJsonOutput(where)).toEqual({ state: join(project.dir, ".keywarden", "sandbox.json"), source: "project", exists: true });
    const listed = await runCli(["--sandbox", "alerts", "list", "--format", "json"], { cwd: deeper });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stderr).toContain(`Sandbox: ${join(project.dir, ".keywarden", "sandbox.json")}`);
    // The same tenant as from the project root: no fresh tenant started in the subdirectory.
    expect(existsSync(join(deeper, ".keywarden"))).toBe(false);
    const fromRoot = await runCli(["--sandbox", "alerts", "list", "--format", "json"], { cwd: project.dir });
    expect(parseJsonOutput(listed)).toEqual(parseJsonOutput(fromRoot));
  });

  it("without a .keywarden/ up the tree, uses $XDG_STATE_HOME/keywarden", async () => {
    const env = { XDG_STATE_HOME: stateHome };
    const where = await runCli(["sandbox", "where", "--format", "json"], { cwd: elsewhere.dir, env });
    expect(parseJsonOutput(where)).toEqual({ state: join(stateHome, "keywarden", "sandbox.json"), source: "user", exists: false });
    const reset = await runCli(["sandbox", "reset"], { cwd: elsewhere.dir, env });
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.stdout).toContain(join(stateHome, "keywarden", "sandbox.json"));
    expect(existsSync(join(stateHome, "keywarden", "sandbox.json"))).toBe(true);
    expect(existsSync(join(elsewhere.dir, ".keywarden"))).toBe(false);
  });

  it("--sandbox-state wins, and `sandbox where` names it", async () => {
    const where = await runCli(["--sandbox-state", "custom.json", "sandbox", "where", "--format", "json"], { cwd: project.dir });
    expect(parseJsonOutput(where)).toMatchObject({ state: join(project.dir, "custom.json"), source: "--sandbox-state" });
  });
});

describe.skipIf(!hasScript)("every hint is a command that works as printed", () => {
  const work = makeWorkDir();
  afterAll(() => work.cleanup());
  let alertId = "";

  beforeAll(async () => {
    const reset = await runCli(["sandbox", "reset"], { cwd: work.dir });
    expect(reset.code, reset.stderr).toBe(0);
    // The hint `sandbox reset` prints, run as printed.
    const listed = await runCli([...hintArgs(hintAfter(reset.stdout, "Next:")), "--format", "json"], { cwd: work.dir });
    expect(listed.code, listed.stderr).toBe(0);
    alertId = (parseJsonOutput<JsonDocument[]>(listed)[0] as { id: string }).id;
  });

  it("respond → (hint) respond --out → (hint) apply → (hint) rollback, each hint run exactly as printed", async () => {
    const first = await runCli(["--sandbox", "respond", alertId], { cwd: work.dir });
    expect(first.code, first.stderr).toBe(0);
    const save = await runCli(hintArgs(hintAfter(first.stdout, "then apply it:")), { cwd: work.dir });
    expect(save.code, save.stderr).toBe(0);
    expect(existsSync(join(work.dir, "plan.json"))).toBe(true);

    const dry = await runCli(hintArgs(hintAfter(save.stdout, "Next:")).concat("--dry-run"), { cwd: work.dir });
    expect(dry.code, dry.stderr).toBe(0);
    const applyHint = hintAfter(dry.stdout, "To make the changes:");
    expect(applyHint).not.toContain("--dry-run");
    expect(applyHint).toContain("--sandbox");

    const applied = await runOnTerminal(hintArgs(applyHint), { cwd: work.dir, answer: approveAll() });
    expect(applied.code, applied.output).toBe(0);
    const rollbackHint = hintAfter(applied.output, "To undo the reversible changes:");
    expect(rollbackHint).toMatch(/^keywarden --sandbox rollback --journal /);

    const rolledBack = await runOnTerminal(hintArgs(rollbackHint), { cwd: work.dir, answer: approveAll() });
    expect(rolledBack.code, rolledBack.output).toBe(0);
    expect(rolledBack.output).toMatch(/Rollback kwp_\w+: completed/);
  }, 300_000);

  // The real Ctrl-C resume hint is run as printed in hints-as-printed.test.ts.
  it("the dry run's apply hint carries --sandbox and the journal, without --dry-run", async () => {
    const dry = await runCli(["--sandbox", "apply", "plan.json", "--dry-run", "--journal", "dry-only.jsonl", "--format", "json"], { cwd: work.dir });
    const report = parseJsonOutput(dry).report as { followUp: string[] };
    const hint = report.followUp.find((line) => line.includes("To make the changes:")) ?? "";
    expect(hintArgs(hintAfter(hint, "To make the changes:"))).toEqual(["--sandbox", "apply", "plan.json", "--journal", "dry-only.jsonl"]);
  });
});
