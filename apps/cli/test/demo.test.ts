import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const cli = (...args: string[]) => runCli(args, { cwd: work.dir });

describe("keywarden demo", () => {
  it("runs the whole response on the default scenario and ends with the incident report (text)", async () => {
    const result = await cli("demo", "--report", "incident.md");
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("Incident report");
    for (const phase of ["1. Ingest", "2. Identify", "3. Measure", "4. Plan", "5. Approve and apply", "6. Verify"]) expect(result.stderr).toContain(phase);
    const markdown = readFileSync(join(work.dir, "incident.md"), "utf8");
    expect(markdown).toMatch(/^# Incident report: /);
    expect(markdown).toContain("## 3. Response");
    // The demo's tenant is its own: no sandbox state is written.
    expect(existsSync(join(work.dir, ".keywarden/sandbox.json"))).toBe(false);
  });

  it("prints exactly one JSON document with --format json, for every scenario", async () => {
    const scenarios = parseJsonOutput<{ scenarios: { name: string }[] }>(await cli("sandbox", "scenarios", "--format", "json")).scenarios;
    const results = await Promise.all(scenarios.map(async ({ name }) => ({ name, result: await cli("demo", "--scenario", name, "--format", "json") })));
    for (const { name, result } of results) {
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      const output = parseJsonOutput(result);
      expect(output.scenario).toBe(name);
      expect(output.report.schemaVersion).toBe(1);
      expect(output.report.verification.every((check: { passed: boolean }) => check.passed), name).toBe(true);
      expect(output.report.outcomes.some((outcome: { status: string }) => outcome.status === "failed"), name).toBe(false);
    }
  }, 300_000);

  it("refuses an unknown scenario, exit 2", async () => {
    const result = await cli("demo", "--scenario", "nope");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: Unknown scenario 'nope'/);
  });

  it("refuses --scenario together with --seed, exit 2", async () => {
    const result = await cli("demo", "--scenario", "a", "--seed", "b.json");
    expect(result.code).toBe(2);
  });
});
