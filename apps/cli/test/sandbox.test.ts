import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const cli = (...args: string[]) => runCli(args, { cwd: work.dir });

let scenarios: { name: string; description: string }[] = [];

beforeAll(async () => {
  const result = await cli("sandbox", "scenarios", "--format", "json");
  expect(result.code).toBe(0);
  scenarios = parseJsonOutput<{ scenarios: typeof scenarios }>(result).scenarios;
});

describe("keywarden sandbox", () => {
  it("lists the built-in scenarios (json and text)", async () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(5);
    for (const scenario of scenarios) expect(scenario.description.length).toBeGreaterThan(0);
    const text = await cli("sandbox", "scenarios");
    expect(text.code).toBe(0);
    for (const scenario of scenarios) expect(text.stdout).toContain(scenario.name);
  });

  it("resets from each scenario and exports the tenant as a seed", async () => {
    for (const { name } of scenarios) {
      const reset = await cli("sandbox", "reset", "--scenario", name, "--format", "json");
      expect(reset.code, reset.stderr).toBe(0);
      const summary = parseJsonOutput(reset);
      expect(summary.source).toBe(`scenario ${name}`);
      expect(summary.vaults).toBeGreaterThan(0);
      expect(summary.alerts).toBeGreaterThan(0);
    }
    const exported = await cli("sandbox", "export");
    expect(exported.code).toBe(0);
    const seed = JSON.parse(exported.stdout);
    expect(seed.vaults.length).toBeGreaterThan(0);
  });

  it("round-trips: export --out, then reset --seed from that file gives the same tenant", async () => {
    await cli("sandbox", "reset", "--scenario", scenarios[0]!.name);
    const out = await cli("sandbox", "export", "--out", "tenant.json");
    expect(out.code).toBe(0);
    const first = JSON.parse(readFileSync(join(work.dir, "tenant.json"), "utf8"));
    const reset = await cli("sandbox", "reset", "--seed", "tenant.json");
    expect(reset.code, reset.stderr).toBe(0);
    const second = JSON.parse((await cli("sandbox", "export")).stdout);
    expect(second.vaults).toEqual(first.vaults);
    expect(second.alerts).toEqual(first.alerts);
  });

  it("keeps its state in --sandbox-state FILE when given", async () => {
    const result = await cli("--sandbox-state", "custom/state.json", "sandbox", "reset", "--scenario", scenarios[1]!.name);
    expect(result.code).toBe(0);
    expect(existsSync(join(work.dir, "custom/state.json"))).toBe(true);
  });

  it("refuses an unknown scenario with one line naming the known ones, exit 2", async () => {
    const result = await cli("sandbox", "reset", "--scenario", "no-such-scenario");
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("Unknown scenario 'no-such-scenario'");
    expect(lines[0]).toContain(scenarios[0]!.name);
  });

  it("refuses a seed that fails validation with one line naming the problem's path, exit 2", async () => {
    writeFileSync(join(work.dir, "bad-seed.json"), JSON.stringify({ vaults: [{ name: 42 }] }));
    const result = await cli("sandbox", "reset", "--seed", "bad-seed.json");
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: Invalid seed bad-seed\.json: \$\.vaults\[0\]/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("refuses a seed file that is not JSON, or missing, exit 2", async () => {
    writeFileSync(join(work.dir, "not-json.json"), "{ this is not json");
    const notJson = await cli("sandbox", "reset", "--seed", "not-json.json");
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/not valid JSON/);
    const missing = await cli("demo", "--seed", "missing.json");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read seed file missing\.json: no such file/);
  });

  it("shows the stack trace of an error only with --verbose", async () => {
    const quiet = await cli("sandbox", "reset", "--scenario", "no-such-scenario");
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    const verbose = await cli("--verbose", "sandbox", "reset", "--scenario", "no-such-scenario");
    expect(verbose.code).toBe(2);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });
});
