import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { cliBin, makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const hasScript = existsSync("/usr/bin/script");

/** Runs the CLI under a pseudo-terminal (util-linux `script`), answering each approval question in turn. */
function applyOnTerminal(args: string[], answers: string[]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, cliBin, ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(" ");
  const child = spawn("script", ["-qec", command, "/dev/null"], { cwd: work.dir, env: { ...process.env, NO_COLOR: "1" } });
  let output = "";
  let asked = 0;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    const questions = output.split("Apply this step?").length - 1;
    while (asked < questions) {
      child.stdin.write(`${answers[asked] ?? "q"}\n`);
      asked += 1;
    }
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

beforeAll(async () => {
  expect((await runCli(["sandbox", "reset"], { cwd: work.dir })).code).toBe(0);
  const alerts = parseJsonOutput<JsonDocument[]>(await runCli(["--sandbox", "alerts", "list", "--format", "json"], { cwd: work.dir }));
  expect((await runCli(["--sandbox", "respond", alerts[0].id, "--out", "plan.json"], { cwd: work.dir })).code).toBe(0);
});

describe.skipIf(!hasScript)("approval on a terminal", () => {
  it("asks for each step that needs approval; yes applies it, no and quit leave the rest undone (exit 1)", async () => {
    const result = await applyOnTerminal(["--sandbox", "apply", "plan.json", "--journal", "tty.jsonl"], ["y", "n", "q"]);
    expect(result.code, result.output).toBe(1);
    expect(result.output.split("Apply this step?").length - 1).toBe(3);
    const entries = readFileSync(join(work.dir, "tty.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { event: string; stepId: string });
    const approved = entries.filter((entry) => entry.event === "approved").map((entry) => entry.stepId);
    const denied = entries.filter((entry) => entry.event === "denied").map((entry) => entry.stepId);
    expect(approved).toHaveLength(1);
    expect(denied.length).toBeGreaterThanOrEqual(2);
    expect(entries.some((entry) => entry.stepId === approved[0] && entry.event === "succeeded")).toBe(true);
  }, 120_000);
});
