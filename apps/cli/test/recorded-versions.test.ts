import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeEach, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

/**
 * `respond` reads the versions of what the plan disables and records them in the signed plan; `apply` writes them
 * without listing them again. Each command is its own process on one sandbox tenant; the sandbox's call log
 * (KEYWARDEN_SANDBOX_CALL_LOG) shows what each one requested.
 */
const work = makeWorkDir();
afterAll(() => work.cleanup());
const keys = { KEYWARDEN_KEYS_DIR: join(work.dir, "keys") };
const cli = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: work.dir, env: { ...keys, ...env } });

const SECRETS = ["db-connection-string", "jwt-signing-key", "stripe-api-key"];
const ownerConfirmed = SECRETS.flatMap((name) => ["--owner-confirmed", name]);
const statePath = () => join(work.dir, ".keywarden/sandbox.json");

interface LoggedCall {
  method: string;
  url: string;
  status: number | null;
}

function callLog(file: string): LoggedCall[] {
  return readFileSync(join(work.dir, file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LoggedCall);
}

/** Version listings (`GET /secrets/<name>/versions`) in a call log, by secret name. */
const listings = (calls: LoggedCall[]) =>
  calls.filter((call) => call.method === "GET" && call.status !== 401).flatMap((call) => /\/secrets\/([^/]+)\/versions$/.exec(new URL(call.url).pathname)?.slice(1) ?? []);

/** The sandbox's versions of one secret: version id → enabled. */
function versionsOf(name: string): Map<string, boolean> {
  const seed = JSON.parse(readFileSync(statePath(), "utf8"));
  const secret = (seed.vaultData["kv-payments-prod"].secrets as JsonDocument[]).find((entry) => entry.name === name);
  return new Map((secret.versions as JsonDocument[]).map((version) => [version.version as string, version.attributes?.enabled !== false]));
}

let alertId = "";

beforeEach(async () => {
  const reset = await cli(["sandbox", "reset"]);
  expect(reset.code, reset.stderr).toBe(0);
  alertId = parseJsonOutput<JsonDocument[]>(await cli(["--sandbox", "alerts", "list", "--format", "json"]))[0].id;
});

const disableStep = (plan: JsonDocument) => (plan.steps as JsonDocument[]).find((step) => step.kind === "disable-secrets");

describe("respond records the versions of what the plan disables; apply writes them without listing again", () => {
  it("records, applies without a listing, and reports (dry run) a version added between plan and apply instead of disabling it", async () => {
    const planned = await cli(["--sandbox", "respond", alertId, ...ownerConfirmed, "--out", "plan.json", "--format", "json"]);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(work.dir, "plan.json"), "utf8"));
    const step = disableStep(plan);
    expect(step.precondition.readAt).toEqual(expect.any(String));
    const recorded = step.precondition.observed.objects as JsonDocument[];
    expect(recorded.map((object) => object.name)).toEqual(SECRETS);
    const stripeBefore = versionsOf("stripe-api-key");
    const [exposed, current] = [...stripeBefore.keys()];
    expect(recorded.find((object) => object.name === "stripe-api-key")).toMatchObject({ versions: [{ version: exposed, enabled: true }], kept: [{ version: current }] });
    expect(plan.warnings.map((warning: JsonDocument) => warning.code)).not.toContain("KW_REMEDIATION_W0042");

    // A new current version of stripe-api-key appears after the plan was reviewed.
    const added = "0123456789abcdef0123456789abcdef";
    const seed = JSON.parse(readFileSync(statePath(), "utf8"));
    const stripe = (seed.vaultData["kv-payments-prod"].secrets as JsonDocument[]).find((entry) => entry.name === "stripe-api-key");
    stripe.versions.push({ version: added, value: "rotated-at-the-source", attributes: { enabled: true, created: "2025-12-01T08:00:00Z", updated: "2025-12-01T08:00:00Z" } });
    writeFileSync(statePath(), JSON.stringify(seed));

    const dry = await cli(["--sandbox", "apply", "plan.json", "--dry-run", "--yes", "--journal", "dry.jsonl", "--format", "json"]);
    expect(dry.code, dry.stderr).toBe(0);
    const dryStep = (parseJsonOutput(dry).steps as JsonDocument[]).find((candidate) => candidate.stepId === step.id);
    const drift = (dryStep.warnings as JsonDocument[]).filter((warning) => warning.code === "KW_REMEDIATION_W0040");
    expect(drift).toHaveLength(1);
    expect(drift[0].message).toContain("secret stripe-api-key changed since the plan recorded its versions");
    expect(drift[0].message).toContain(`${added} kept`);

    const applied = await cli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "apply.jsonl", "--format", "json"], { KEYWARDEN_SANDBOX_CALL_LOG: "apply-calls.jsonl" });
    expect(applied.code, applied.stderr).toBe(0);
    expect(parseJsonOutput(applied).status).toBe("completed");
    const calls = callLog("apply-calls.jsonl");
    // The recorded objects are written, never listed.
    expect(listings(calls)).toEqual([]);
    expect(calls.filter((call) => call.method === "PATCH" && call.status !== 401 && /\/secrets\/stripe-api-key\//.test(call.url)).map((call) => new URL(call.url).pathname)).toEqual([
      `/secrets/stripe-api-key/${exposed}`,
    ]);
    // Exactly what was reviewed: the exposed version disabled, the reviewed current one kept, the new one untouched.
    expect(versionsOf("stripe-api-key")).toEqual(new Map([[exposed, false], [current, true], [added, true]]));
  });

  it("falls back to listing at apply, and says so in the plan, when planning cannot read an object's versions (403)", async () => {
    const faults = JSON.stringify([{ method: "GET", url: "https://kv-payments-prod.vault.azure.net/secrets/stripe-api-key/versions", status: 403, body: { error: { code: "Forbidden", message: "injected" } } }]);
    const planned = await cli(["--sandbox", "respond", alertId, ...ownerConfirmed, "--out", "plan.json", "--format", "json"], { KEYWARDEN_SANDBOX_FAULTS: faults });
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(work.dir, "plan.json"), "utf8"));
    expect((disableStep(plan).precondition.observed.objects as JsonDocument[]).map((object) => object.name)).toEqual(["db-connection-string", "jwt-signing-key"]);
    const warning = (plan.warnings as JsonDocument[]).find((candidate) => candidate.code === "KW_REMEDIATION_W0042");
    expect(warning?.message).toContain("secret stripe-api-key (vault kv-payments-prod)");
    expect(warning?.message).toContain("The apply lists their versions before disabling them.");

    const applied = await cli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "apply.jsonl", "--format", "json"], { KEYWARDEN_SANDBOX_CALL_LOG: "fallback-calls.jsonl" });
    expect(applied.code, applied.stderr).toBe(0);
    expect(parseJsonOutput(applied).status).toBe("completed");
    expect(listings(callLog("fallback-calls.jsonl"))).toEqual(["stripe-api-key"]);
    expect([...versionsOf("stripe-api-key").values()]).toEqual([false, true]);
  });

  it("stops reading at the policy's budget and says in the plan that the apply lists the rest", async () => {
    writeFileSync(join(work.dir, "policy.json"), JSON.stringify({ planning: { versionReads: { maxObjects: 1 } } }));
    const planned = await cli(["--sandbox", "respond", alertId, ...ownerConfirmed, "--policy", "policy.json", "--out", "plan.json", "--format", "json"], {
      KEYWARDEN_SANDBOX_CALL_LOG: "respond-calls.jsonl",
    });
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(work.dir, "plan.json"), "utf8"));
    expect((disableStep(plan).precondition.observed.objects as JsonDocument[]).map((object) => object.name)).toEqual(["db-connection-string"]);
    const warning = (plan.warnings as JsonDocument[]).find((candidate) => candidate.code === "KW_REMEDIATION_W0041");
    expect(warning?.message).toBe(
      "The planning read budget (1 object(s), 30 s) cut in: the versions of 2 object(s) were not read when planning, and the apply lists them before disabling them. Raise the budget to record them.",
    );
    const applied = await cli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "apply.jsonl", "--format", "json"], { KEYWARDEN_SANDBOX_CALL_LOG: "budget-calls.jsonl" });
    expect(applied.code, applied.stderr).toBe(0);
    expect(listings(callLog("budget-calls.jsonl")).sort()).toEqual(["jwt-signing-key", "stripe-api-key"]);
  });

  it("refuses a planning section it does not know (exit 2)", async () => {
    writeFileSync(join(work.dir, "bad-policy.json"), JSON.stringify({ planning: { versionReads: { maxObject: 1 } } }));
    const result = await cli(["--sandbox", "respond", alertId, "--policy", "bad-policy.json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("bad-policy.json has an invalid planning section");
  });
});
