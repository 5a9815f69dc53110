import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { forgedOutputProblems, HOSTILE_TEXT } from "@keywarden/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, type CliResult, type JsonDocument } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const cli = (args: string[]) => runCli(args, { cwd: work.dir });
/** Every payload at once: whatever field a renderer forgot, one of them shows it. */
const HOSTILE = HOSTILE_TEXT.join(" · ");

/**
 * The default scenario's tenant as an attacker (or a careless admin) left it: the alert's names, description,
 * entities and extended properties, the directory's display names, vault tags and suppression rules full of payloads.
 */
function hostileSeed(seed: JsonDocument): JsonDocument {
  for (const alert of seed.alerts ?? []) {
    const properties = alert.properties;
    properties.alertDisplayName = `Access from a TOR exit node ${HOSTILE}`;
    properties.description = HOSTILE;
    Object.assign(properties.extendedProperties ?? {}, { "client Information": HOSTILE, "user Agent": HOSTILE });
    for (const entity of properties.entities ?? []) {
      if (entity.type === "ip") entity.location = { countryCode: "US", countryName: HOSTILE, state: HOSTILE, city: HOSTILE };
      if (entity.type === "account") Object.assign(entity, { name: HOSTILE, upnSuffix: HOSTILE });
    }
  }
  for (const user of seed.directory?.users ?? []) user.displayName = HOSTILE;
  for (const vault of seed.vaults ?? []) vault.tags = { ...vault.tags, [HOSTILE]: HOSTILE };
  const subscriptionId = seed.subscriptions[0].subscriptionId as string;
  seed.suppressionRules = [
    {
      id: `/subscriptions/${subscriptionId}/providers/Microsoft.Security/alertsSuppressionRules/left-behind`,
      name: "left-behind",
      type: "Microsoft.Security/alertsSuppressionRules",
      properties: { alertType: "KV_TORAccess", reason: "Other", state: "Enabled", comment: HOSTILE, suppressionAlertsScope: { allOf: [{ field: "entities.ip.address", in: [HOSTILE] }] } },
    },
  ];
  return seed;
}

function expectUnforged(what: string, result: CliResult): void {
  expect(forgedOutputProblems(result.stdout, "text"), `${what} stdout:\n${result.stdout}`).toEqual([]);
  expect(forgedOutputProblems(result.stderr, "text"), `${what} stderr:\n${result.stderr}`).toEqual([]);
}

let alertId = "";

beforeAll(async () => {
  expect((await cli(["sandbox", "reset"])).code).toBe(0);
  const exported = await cli(["sandbox", "export"]);
  writeFileSync(join(work.dir, "hostile.json"), JSON.stringify(hostileSeed(JSON.parse(exported.stdout))));
  const reset = await cli(["sandbox", "reset", "--seed", "hostile.json"]);
  expect(reset.code, reset.stderr).toBe(0);
  alertId = parseJsonOutput<JsonDocument[]>(await cli(["--sandbox", "alerts", "list", "--format", "json"]))[0].id;
}, 120_000);

describe("alert and tenant text cannot forge what the CLI prints", () => {
  it("alerts list, triage, impact, respond, apply, suppress list and the Markdown report show payloads, never run them", async () => {
    const runs: [string, string[]][] = [
      ["alerts list", ["--sandbox", "alerts", "list", "--verbose"]],
      ["triage", ["--sandbox", "triage", alertId]],
      ["impact", ["--sandbox", "impact", alertId]],
      ["respond", ["--sandbox", "respond", alertId, "--out", "plan.json"]],
      ["apply --dry-run", ["--sandbox", "apply", "plan.json", "--dry-run", "--journal", "dry.jsonl", "--verbose"]],
      ["apply", ["--sandbox", "apply", "plan.json", "--yes", "--journal", "incident.jsonl", "--report", "incident.md"]],
      ["suppress list", ["--sandbox", "suppress", "list"]],
      ["suppress get", ["--sandbox", "suppress", "get", "left-behind"]],
      ["suppress lint", ["--sandbox", "suppress", "lint", "rules.json"]],
      ["suppress preview", ["--sandbox", "suppress", "preview", "rules.json"]],
      ["suppress plan", ["--sandbox", "suppress", "plan", "rules.json"]],
      ["alerts state", ["--sandbox", "alerts", "state", alertId, "--to", "in-progress", "--dry-run"]],
    ];
    // A rules file a colleague sent: valid, with payloads in its comment and values.
    writeFileSync(
      join(work.dir, "rules.json"),
      JSON.stringify({
        rules: [{ name: "tor-ci", alertType: "KV_TORAccess", reason: "Other", comment: HOSTILE, expiresOn: "2030-01-01T00:00:00Z", scope: [{ field: "entities.ip.address", in: [HOSTILE] }] }],
      }),
    );
    const seen: string[] = [];
    for (const [what, args] of runs) {
      const result = await cli(args);
      expect(result.code, `${what}: ${result.stderr}`).toBe(0);
      expectUnforged(what, result);
      seen.push(result.stdout, result.stderr);
    }
    // The payloads reached the output (the test exercises the fields), shown as escapes.
    expect(seen.join("\n")).toContain("\\x1b[2J\\x1b[Hcleared");
    expect(seen.join("\n")).toContain("\\u202e");
    expect(forgedOutputProblems(readFileSync(join(work.dir, "incident.md"), "utf8"), "markdown")).toEqual([]);
  }, 180_000);

  it("an invalid rules file's issues are printed one line each, escaped", async () => {
    writeFileSync(join(work.dir, "bad-rules.json"), JSON.stringify({ rules: [{ name: HOSTILE, alertType: HOSTILE, reason: HOSTILE, [HOSTILE]: 1 }] }));
    const result = await cli(["--sandbox", "suppress", "lint", "bad-rules.json"]);
    expect(result.code).toBe(2);
    expectUnforged("suppress lint <invalid>", result);
    expect(result.stderr).toContain("\\u202e");
  });

  it("an error that names outside text stays on its one line", async () => {
    const result = await cli(["--sandbox", "suppress", "get", HOSTILE]);
    expect(result.code).not.toBe(0);
    // One error line, whole: the name is shown escaped and the fix that follows it is still there.
    expect(result.stderr).toMatch(/^error: No suppression rule named '.*\\x1b\[2J.*' in the sandbox tenant: list them with `keywarden --sandbox suppress list`\. \[KW_CLI_E\d{4}\]$/mu);
    expectUnforged("suppress get <hostile>", result);
  });

  it("the demo on a hostile seed prints its phases, plan and report escaped", async () => {
    const result = await cli(["demo", "--seed", "hostile.json", "--report", "demo.md"]);
    expect(result.code, result.stderr).toBe(0);
    expectUnforged("demo", result);
    expect(result.stderr).toContain("\\u202e");
    expect(forgedOutputProblems(readFileSync(join(work.dir, "demo.md"), "utf8"), "markdown")).toEqual([]);
  }, 120_000);
});
