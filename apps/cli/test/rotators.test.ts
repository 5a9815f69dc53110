import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeEach, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const cli = (args: string[]) => runCli(args, { cwd: work.dir });
/** The runnable example from the README: a policy file and the rotator module it names, relative to it. */
const examplePolicy = fileURLToPath(new URL("../examples/policy-with-rotators.json", import.meta.url));
const VAULT = "kv-payments-prod";

interface SeedVersion {
  version: string;
  value: string;
  tags?: Record<string, string>;
  attributes: { enabled?: boolean; created?: string };
}
const statePath = () => join(work.dir, ".keywarden/sandbox.json");
const secretsOf = (): Map<string, SeedVersion[]> => {
  const seed = JSON.parse(readFileSync(statePath(), "utf8"));
  return new Map((seed.vaultData[VAULT].secrets as { name: string; versions: SeedVersion[] }[]).map((secret) => [secret.name, secret.versions]));
};
const stepsOf = (plan: JsonDocument, kind: string): JsonDocument[] => (plan.steps as JsonDocument[]).filter((step) => step.kind === kind);
const objectsOf = (steps: JsonDocument[]): string[] => steps.flatMap((step) => ((step.target.objects ?? []) as { name: string }[]).map((object) => object.name)).sort();

let alertId = "";
beforeEach(async () => {
  const reset = await cli(["sandbox", "reset"]);
  expect(reset.code, reset.stderr).toBe(0);
  const list = await cli(["--sandbox", "alerts", "list", "--format", "json"]);
  alertId = parseJsonOutput<JsonDocument[]>(list)[0].id;
});

describe("live rotation: rotators from the policy file, owner tasks for the rest", () => {
  it("a live-like run (the sandbox tenant, only the default rotators) ends with owner tasks, not failed; the follow-up plan disables the versions once confirmed", async () => {
    writeFileSync(join(work.dir, "live-like.json"), JSON.stringify({ remediation: { secrets: { allowRandomValue: false } } }));
    const before = secretsOf();
    const respond = await cli(["--sandbox", "respond", alertId, "--policy", "live-like.json", "--out", "plan.json", "--format", "json"]);
    expect(respond.code, respond.stderr).toBe(0);
    const plan = parseJsonOutput(respond).plan;
    expect(stepsOf(plan, "rotate-secrets")).toEqual([]);
    const ownerTasks = stepsOf(plan, "contact-owner").filter((step) => (step.target.objects ?? []).length > 0);
    const handed = objectsOf(ownerTasks);
    expect(handed).toContain("stripe-api-key");
    expect(objectsOf(stepsOf(plan, "disable-secrets")).filter((name) => handed.includes(name))).toEqual([]);
    expect(plan.warnings.some((warning: { code: string }) => warning.code === "KW_REMEDIATION_W0012")).toBe(true);

    const applied = await cli(["--sandbox", "apply", "plan.json", "--yes", "--policy", "live-like.json", "--format", "json"]);
    expect(applied.code, applied.stderr).toBe(0);
    const result = parseJsonOutput(applied);
    expect(result.status).toBe("completed");
    expect((result.steps as JsonDocument[]).filter((step) => step.status === "failed")).toEqual([]);
    expect(applied.stdout).not.toContain("KW_REMEDIATION_E0013");
    const task = (result.tasks as JsonDocument[]).find((candidate) => String(candidate.subject).includes("at the source"));
    expect(task?.message).toMatch(/stripe-api-key: version\(s\) [0-9a-f]{32}.* read by /);
    expect((result.report.followUp as string[]).join("\n")).toMatch(/--owner-confirmed stripe-api-key/);
    // Nothing was minted and nothing the applications use was disabled.
    const shape = (versions: SeedVersion[] | undefined) => (versions ?? []).map((version) => ({ version: version.version, enabled: version.attributes.enabled !== false }));
    for (const name of handed) expect(shape(secretsOf().get(name))).toEqual(shape(before.get(name)));

    // The owner rotates the Stripe key at Stripe and stores the new one as a new version.
    const seed = JSON.parse(readFileSync(statePath(), "utf8"));
    const stripe = (seed.vaultData[VAULT].secrets as { name: string; versions: SeedVersion[] }[]).find((secret) => secret.name === "stripe-api-key");
    const exposed = stripe?.versions.map((version) => version.version) ?? [];
    stripe?.versions.push({ version: "0f0000000000000000000000000000f1", value: "rotated-by-the-owner", attributes: { enabled: true, created: "2026-12-01T00:00:00Z" } });
    writeFileSync(statePath(), JSON.stringify(seed));

    const followUp = await cli(["--sandbox", "respond", alertId, "--owner-confirmed", "stripe-api-key", "--policy", "live-like.json", "--out", "follow-up.json", "--format", "json"]);
    expect(followUp.code, followUp.stderr).toBe(0);
    const second = parseJsonOutput(followUp).plan;
    expect(objectsOf(stepsOf(second, "disable-secrets"))).toContain("stripe-api-key");
    expect(objectsOf(stepsOf(second, "contact-owner"))).not.toContain("stripe-api-key");
    const again = await cli(["--sandbox", "apply", "follow-up.json", "--yes", "--policy", "live-like.json", "--format", "json"]);
    expect(again.code, again.stderr).toBe(0);
    const versions = secretsOf().get("stripe-api-key") ?? [];
    for (const version of exposed) expect(versions.find((candidate) => candidate.version === version)?.attributes.enabled).toBe(false);
    expect(versions.at(-1)?.attributes.enabled).toBe(true);
  }, 300_000);

  it("apply with the policy file rotates through the module's rotator: once per object, with the idempotency key; a dry run without it would fail", async () => {
    const respond = await cli(["--sandbox", "respond", alertId, "--policy", examplePolicy, "--out", "plan.json", "--format", "json"]);
    expect(respond.code, respond.stderr).toBe(0);
    const plan = parseJsonOutput(respond).plan;
    const [rotate] = stepsOf(plan, "rotate-secrets");
    expect(rotate?.target.objects).toEqual([{ type: "secret", name: "jwt-signing-key" }]);
    expect(rotate?.precondition.summary).toBe("secret jwt-signing-key (rotator signing-key)");

    // Without the policy's rotators the rotation would fail: the dry run says so and is not completed (exit 1).
    const dry = await cli(["--sandbox", "apply", "plan.json", "--dry-run", "--yes", "--journal", "dry.jsonl", "--format", "json"]);
    expect(dry.code).toBe(1);
    const dryResult = parseJsonOutput(dry);
    expect(dryResult.status).toBe("failed");
    const dryRotate = (dryResult.steps as JsonDocument[]).find((step) => step.kind === "rotate-secrets");
    expect(dryRotate).toMatchObject({ verdict: "would-fail", error: { code: "KW_REMEDIATION_E0013" } });
    // With them, and --yes, every step would succeed.
    const dryWith = await cli(["--sandbox", "apply", "plan.json", "--dry-run", "--yes", "--policy", examplePolicy, "--journal", "dry-with.jsonl", "--format", "json"]);
    expect(dryWith.code, dryWith.stderr).toBe(0);
    expect((parseJsonOutput(dryWith).steps as JsonDocument[]).map((step) => step.verdict).filter((verdict) => verdict !== "would-succeed")).toEqual([]);

    const before = (secretsOf().get("jwt-signing-key") ?? []).length;
    const applied = await cli(["--sandbox", "apply", "plan.json", "--yes", "--policy", examplePolicy, "--format", "json"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(parseJsonOutput(applied).status).toBe("completed");
    const versions = secretsOf().get("jwt-signing-key") ?? [];
    const minted = versions.filter((version) => version.tags?.["rotation-request"] !== undefined);
    expect(versions.length).toBe(before + 1);
    expect(minted.map((version) => version.tags?.["rotation-request"])).toEqual([`keywarden:${plan.id}:${rotate?.id}:${VAULT}:jwt-signing-key`]);
  }, 300_000);

  it("a rotator module that does not load, or exports no rotator, is refused before anything runs (exit 2), naming the module and the fix", async () => {
    writeFileSync(join(work.dir, "missing.json"), JSON.stringify({ rotators: ["./rotators/nope.mjs"] }));
    const missing = await cli(["--sandbox", "respond", alertId, "--policy", "missing.json"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Rotator module \.\/rotators\/nope\.mjs \(named in missing\.json\) cannot be loaded: it was not found\. Check that the file exists relative to the policy file.*\[KW_CLI_E0021\]/);

    writeFileSync(join(work.dir, "helpers.mjs"), "export const timeoutInMs = 1000;\n");
    writeFileSync(join(work.dir, "none.json"), JSON.stringify({ rotators: ["./helpers.mjs"] }));
    const none = await cli(["--sandbox", "apply", "plan.json", "--policy", "none.json"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Rotator module \.\/helpers\.mjs \(named in none\.json\) exports no rotator\. Export the result of defineRotator.*\[KW_CLI_E0022\]/);

    writeFileSync(join(work.dir, "broken.mjs"), "export const sql = { name: 'sql login', matches: () => true, rotate: 'later' };\n");
    writeFileSync(join(work.dir, "broken.json"), JSON.stringify({ rotators: ["./broken.mjs"] }));
    const broken = await cli(["--sandbox", "respond", alertId, "--policy", "broken.json"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/exports sql, which is not a valid rotator \(name: name must be .*; rotate: rotate must be a function/);

    writeFileSync(join(work.dir, "shape.json"), JSON.stringify({ rotators: "./broken.mjs" }));
    const shape = await cli(["--sandbox", "respond", alertId, "--policy", "shape.json"]);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toMatch(/shape\.json has an invalid rotators section: .*\[KW_CLI_E0019\]/);
  }, 300_000);
});
