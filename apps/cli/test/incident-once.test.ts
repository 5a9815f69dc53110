import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const env = { KEYWARDEN_KEYS_DIR: join(work.dir, "keys") };
const cli = (args: string[]) => runCli(args, { cwd: work.dir, env });

const IRREVERSIBLE = ["contact-owner", "revoke-sessions", "rotate-secrets"];
let alertId = "";

beforeAll(async () => {
  expect((await cli(["sandbox", "reset"])).code).toBe(0);
  alertId = parseJsonOutput<JsonDocument[]>(await cli(["--sandbox", "alerts", "list", "--format", "json"]))[0].id;
});

describe("one incident, one response (re-delivered alert)", () => {
  it("a second apply of the incident with another journal skips what the first did irreversibly; a re-plan leaves it out", async () => {
    const respond = await cli(["--sandbox", "respond", alertId, "--out", "plan.json", "--format", "json"]);
    expect(respond.code, respond.stderr).toBe(0);
    const planned = parseJsonOutput<JsonDocument>(respond).plan.steps.map((step: JsonDocument) => step.kind);
    const present = IRREVERSIBLE.filter((kind) => planned.includes(kind));
    expect(present.length).toBeGreaterThan(0);

    const first = await cli(["--sandbox", "apply", "plan.json", "--yes", "--format", "json"]);
    expect(first.code, first.stderr).toBe(0);

    // The workflow retries with the plan it already had, and another journal: nothing irreversible runs twice.
    const again = await cli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "retry.jsonl", "--format", "json"]);
    expect(again.code, again.stderr).toBe(0);
    const steps = parseJsonOutput<JsonDocument>(again).steps as JsonDocument[];
    for (const kind of present) {
      const step = steps.find((candidate) => candidate.kind === kind);
      expect(step?.status, kind).toBe("skipped");
      expect(step?.skipReason).toMatch(/already done for this incident by plan kwp_[0-9a-f]+ step s\d\d-/);
    }
    expect(parseJsonOutput<JsonDocument>(again).tasks).toHaveLength(0);

    // Planned anew for the same alert: the earlier applies are read from the Keywarden directory's journals.
    const replanned = await cli(["--sandbox", "respond", alertId, "--out", "plan-2.json", "--format", "json"]);
    expect(replanned.code, replanned.stderr).toBe(0);
    const plan = parseJsonOutput<JsonDocument>(replanned).plan;
    for (const kind of present) expect(plan.steps.map((step: JsonDocument) => step.kind)).not.toContain(kind);
    expect(plan.warnings.filter((warning: JsonDocument) => warning.code === "KW_REMEDIATION_I0009").length).toBeGreaterThanOrEqual(present.length);
  });
});
