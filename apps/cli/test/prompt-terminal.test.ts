import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { cliBin, makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

const tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux"].find((path) => existsSync(path));
// CI installs tmux (.ci/run) and sets KEYWARDEN_REQUIRE_TMUX: there the terminal test must run, never skip.
const tmuxRequired = process.env.KEYWARDEN_REQUIRE_TMUX === "1" || process.env.CI === "true" || process.env.CI === "1";
const work = makeWorkDir();
const session = `keywarden-prompt-${process.pid}`;

function quote(part: string): string {
  return `'${part.replaceAll("'", "'\\''")}'`;
}

function screen(): string[] {
  return execFileSync(tmux ?? "tmux", ["capture-pane", "-p", "-t", session], { encoding: "utf8" }).split("\n");
}

async function waitFor(predicate: (lines: string[]) => boolean, timeoutInMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutInMs;
  for (;;) {
    const lines = screen();
    if (predicate(lines)) return lines;
    if (Date.now() > deadline) throw new Error(`timed out; screen:\n${lines.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  if (tmux === undefined) return;
  expect((await runCli(["sandbox", "reset"], { cwd: work.dir })).code).toBe(0);
  const alerts = parseJsonOutput<JsonDocument[]>(await runCli(["--sandbox", "alerts", "list", "--format", "json"], { cwd: work.dir }));
  expect((await runCli(["--sandbox", "respond", alerts[0].id, "--out", "plan.json"], { cwd: work.dir })).code).toBe(0);
});

afterAll(() => {
  if (tmux !== undefined) {
    try {
      execFileSync(tmux, ["kill-session", "-t", session], { stdio: "ignore" });
    } catch {
      // already ended
    }
  }
  work.cleanup();
});

it.skipIf(!tmuxRequired)("tmux is installed where the terminal test is required", () => {
  expect(tmux, "CI or KEYWARDEN_REQUIRE_TMUX=1 is set, but tmux is not installed: install tmux (apt-get install -y tmux)").toBeDefined();
});

describe.skipIf(tmux === undefined)("on a real terminal (tmux)", () => {
  it("the progress bar is not drawn over the approval question while it waits for an answer", async () => {
    const command = ["env", "NO_COLOR=1", `XDG_STATE_HOME=${work.dir}`, process.execPath, cliBin, "--sandbox", "apply", "plan.json", "--journal", "tmux.jsonl"]
      .map(quote)
      .join(" ");
    execFileSync(tmux ?? "tmux", ["new-session", "-d", "-s", session, "-x", "160", "-y", "50", "-c", work.dir, command]);
    await waitFor((lines) => lines.some((line) => line.includes("Apply this step?")), 60_000);
    // Long enough for any redraw (cli-progress renders on a timer) to land on the screen.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const lines = screen().filter((line) => line.trim() !== "");
    expect(lines.at(-1), lines.join("\n")).toMatch(/^Apply this step\? \[y\]es \/ \[n\]o \/ \[a\]ll \/ \[q\]uit\s*$/);
    expect(lines.some((line) => /Applying .*\d+\/\d+/.test(line)), lines.join("\n")).toBe(false);
    execFileSync(tmux ?? "tmux", ["send-keys", "-t", session, "q", "Enter"]);
  }, 120_000);
});
