import { writeFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());

describe("keywarden (command line surface)", () => {
  it("prints help listing every command, exit 0", async () => {
    const result = await runCli(["--help"], { cwd: work.dir });
    expect(result.code).toBe(0);
    for (const command of ["alerts", "triage", "impact", "respond", "apply", "rollback", "suppress", "simulate", "demo", "sandbox"]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
    expect(result.stdout).toContain("--format <format>");
    expect(result.stdout).toContain("Exit codes: 0 success, 1 failure, 2 invalid input or usage");
    expect(result.stderr).toBe("");
  });

  it("prints the version", async () => {
    const result = await runCli(["--version"], { cwd: work.dir });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["alerts", "list", "--bogus"], /unknown option '--bogus'/],
    [["apply"], /missing required argument 'plan'/],
    [["rollback"], /required option '--journal <file>' not specified/],
  ])("rejects bad usage %j with a one-line error and exit 2", async (args, message) => {
    const result = await runCli(args, { cwd: work.dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe("");
  });

  it.each([
    [["frobnicate", "--format", "json"], /unknown command 'frobnicate'/, "commander.unknownCommand"],
    [["--format", "json", "alerts", "list", "--bogus"], /unknown option '--bogus'/, "commander.unknownOption"],
    [["--format=json", "alerts", "list", "--subscriptionn", "x"], /unknown option '--subscriptionn'/, "commander.unknownOption"],
    [["--format", "yaml", "sandbox", "scenarios"], /argument 'yaml' is invalid/, "commander.invalidArgument"],
    [["--format", "json", "apply"], /missing required argument 'plan'/, "commander.missingArgument"],
  ])("with --format json (or an unknown format) bad usage %j is one JSON error document on stdout, exit 2", async (args, message, commanderCode) => {
    const result = await runCli(args, { cwd: work.dir });
    expect(result.code).toBe(2);
    const document = parseJsonOutput(result);
    expect(Object.keys(document)).toEqual(["error"]);
    expect(document.error).toMatchObject({ code: "KW_CLI_E0002", exitCode: 2, commander: commanderCode });
    expect(document.error.message).toMatch(message);
    expect(document.error.message).not.toMatch(/^error:|\n/);
    // The person reading stderr still gets commander's one-line message.
    expect(result.stderr).toMatch(message);
  });

  it("suggests the option it probably meant, in the JSON document's hint", async () => {
    const result = await runCli(["--format", "json", "alerts", "list", "--subscriptionn", "x"], { cwd: work.dir });
    expect(parseJsonOutput(result).error.hint).toMatch(/Did you mean --subscription\?/);
  });

  it("live mode without a subscription is invalid input, and says how to fix it", async () => {
    const result = await runCli(["alerts", "list"], { cwd: work.dir });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/No subscription given: pass --subscription <id>.*or use --sandbox\. \[KW_CLI_E0010\]/);
  });

  it("an invalid argument rejected by a library (not a subscription id) is invalid input: exit 2, text and json", async () => {
    const text = await runCli(["--sandbox", "alerts", "list", "--subscription", "../../x"], { cwd: work.dir });
    expect(text.code, text.stderr).toBe(2);
    expect(text.stderr).not.toMatch(/\n\s+at /);
    expect(text.stderr).toMatch(/"\.\.\/\.\.\/x" is not a subscription id.*\[KW_ALERTS_E0303\]/);
    const json = await runCli(["--sandbox", "alerts", "list", "--subscription", "../../x", "--format", "json"], { cwd: work.dir });
    expect(json.code).toBe(2);
    expect(parseJsonOutput(json)).toEqual({ error: { code: "KW_ALERTS_E0303", message: expect.stringContaining("not a subscription id"), exitCode: 2 } });
  });

  it("refuses a policy file with an unknown section or an invalid triage policy, exit 2", async () => {
    writeFileSync(join(work.dir, "policy-unknown.json"), JSON.stringify({ triage: {}, approvals: {} }));
    const unknown = await runCli(["--sandbox", "triage", "alert.json", "--policy", "policy-unknown.json"], { cwd: work.dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/policy-unknown\.json: unknown key 'approvals'.*\[KW_CLI_E0019\]/);
    writeFileSync(join(work.dir, "policy-invalid.json"), JSON.stringify({ triage: { autoApprove: ["launch-missiles"] } }));
    const invalid = await runCli(["--sandbox", "respond", "alert.json", "--policy", "policy-invalid.json"], { cwd: work.dir });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/policy-invalid\.json has an invalid triage policy/);
  });

  it("with --format json a failure is still one JSON document on stdout", async () => {
    const result = await runCli(["alerts", "list", "--format", "json"], { cwd: work.dir });
    expect(result.code).toBe(2);
    expect(parseJsonOutput(result)).toEqual({
      error: { code: "KW_CLI_E0010", message: expect.stringContaining("No subscription given"), exitCode: 2 },
    });
  });
});
