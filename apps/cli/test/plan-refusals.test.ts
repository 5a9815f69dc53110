import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { parsePlanKey, signPlan, type RemediationPlan } from "@keywarden/remediation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

/**
 * Issue 12, bad input: an edited (and re-hashed), unsigned or inconsistent plan is refused by `keywarden apply`
 * before any write: exit 2, one error line, nothing journaled as applied, and the sandbox tenant untouched.
 */

const work = makeWorkDir();
afterAll(() => work.cleanup());
// A configured key (as in production), so "unsigned" means "unsigned although a key is configured".
const planKeyText = `hmac-sha256:${randomBytes(32).toString("base64")}`;
const env = { KEYWARDEN_PLAN_KEY: planKeyText, KEYWARDEN_KEYS_DIR: join(work.dir, "keys") };
const cli = (args: string[]) => runCli(args, { cwd: work.dir, env });
const statePath = join(work.dir, ".keywarden", "sandbox.json");
const VAULT = "kv-payments-prod";

/** What an attacker can do with a stored plan: edit it and recompute the unkeyed content hash (the old plan id). */
function rehash(plan: JsonDocument): JsonDocument {
  const canonical = (value: unknown): string => {
    if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
    if (Array.isArray(value)) return `[${value.map((item) => canonical(item === undefined ? null : item)).join(",")}]`;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(",")}}`;
  };
  const { id: _id, signature: _signature, ...content } = plan;
  return { ...plan, id: `kwp_${createHash("sha256").update(canonical(content)).digest("hex").slice(0, 32)}` };
}

const stepOf = (plan: JsonDocument, kind: string): JsonDocument => {
  const step = (plan.steps as JsonDocument[]).find((candidate) => candidate.kind === kind);
  expect(step, `the plan has no ${kind} step`).toBeDefined();
  return step;
};

/** The six edits of issue 12, each keeping the plan's old signature (the attacker has no key) and re-hashing. */
const edits: Record<string, (plan: JsonDocument) => JsonDocument> = {
  "approval flags set false": (plan) => {
    for (const step of plan.steps as JsonDocument[]) step.requiresApproval = false;
    return plan;
  },
  // Moved consistently (name, resource id, vaultUri and the recorded triage targets), so only the signature can tell.
  "target vault moved to another vault": (plan) => JSON.parse(JSON.stringify(plan).replaceAll(VAULT, "kv-hr-prod")),
  "an extra step": (plan) => {
    const extra = structuredClone(stepOf(plan, "restrict-permissions"));
    extra.id = "s09-restrict-permissions";
    extra.parameters.remove = { secrets: ["Get", "List", "Set", "Delete"], keys: ["Get", "List"], certificates: ["Get"] };
    plan.steps.push(extra);
    return plan;
  },
  "an attacker's IP added to the firewall": (plan) => {
    stepOf(plan, "enable-firewall").parameters.addIpRules.push("185.220.101.45");
    return plan;
  },
  "purge turned on": (plan) => {
    const step = stepOf(plan, "disable-secrets");
    step.kind = "delete-secrets";
    step.id = step.id.replace("disable-secrets", "delete-secrets");
    step.parameters = { purge: true };
    return plan;
  },
  "vaultUri pointed at a foreign host": (plan) => {
    for (const step of plan.steps as JsonDocument[]) if (step.target.vault !== undefined) step.target.vault.vaultUri = "https://kv-payments-prod.attacker.example/";
    return plan;
  },
};

let original: JsonDocument;
let stateBefore = "";
let stateMtime = 0;

beforeAll(async () => {
  expect((await cli(["sandbox", "reset"])).code).toBe(0);
  const listed = await cli(["--sandbox", "alerts", "list", "--format", "json"]);
  const alertId = (parseJsonOutput<JsonDocument[]>(listed)[0] as { id: string }).id;
  const respond = await cli(["--sandbox", "respond", alertId, "--out", "plan.json", "--format", "json"]);
  expect(respond.code, respond.stderr).toBe(0);
  original = JSON.parse(readFileSync(join(work.dir, "plan.json"), "utf8"));
  expect(original.signature?.algorithm).toBe("hmac-sha256");
  stateBefore = readFileSync(statePath, "utf8");
  stateMtime = statSync(statePath).mtimeMs;
});

/** Applies `plan` with --yes and checks the refusal: exit 2, one KW_ error line, no journal, an untouched tenant. */
async function expectRefused(name: string, plan: JsonDocument, expectedCode: RegExp): Promise<string> {
  const file = `${name}.json`;
  writeFileSync(join(work.dir, file), JSON.stringify(plan, null, 2));
  const result = await cli(["--sandbox", "apply", file, "--yes", "--journal", `${name}.jsonl`]);
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(2);
  const lines = result.stderr.split("\n").filter((line) => line.trim() !== "");
  const errorLines = lines.filter((line) => /\[KW_[A-Z]+_E\d{4}\]/.test(line));
  // One error line; anything else on stderr is the list of the plan's problems, each naming the file.
  expect(errorLines, result.stderr).toHaveLength(1);
  for (const line of lines) if (line !== errorLines[0]) expect(line.startsWith(`error: ${file}: `), result.stderr).toBe(true);
  expect(errorLines[0]).toMatch(expectedCode);
  // Never the hash the edited content would need.
  for (const id of result.stderr.match(/kwp_[0-9a-f]+/g) ?? []) expect([plan.id, original.id]).toContain(id);
  expect(result.stdout).toBe("");
  // Nothing journaled: the journal is not even created.
  expect(existsSync(join(work.dir, `${name}.jsonl`))).toBe(false);
  // The sandbox tenant recorded no write: its state file is byte for byte the same and was not rewritten.
  expect(readFileSync(statePath, "utf8")).toBe(stateBefore);
  expect(statSync(statePath).mtimeMs).toBe(stateMtime);
  return errorLines[0] ?? "";
}

describe("apply refuses every edited plan before any write (exit 2, one error, no journal, no write)", () => {
  for (const [name, edit] of Object.entries(edits)) {
    it(`re-hashed plan with ${name}`, async () => {
      const forged = rehash(edit(structuredClone(original)));
      expect(forged.signature, "the forgery keeps the old signature").toEqual(original.signature);
      await expectRefused(name.replaceAll(/\W+/g, "-"), forged, /KW_(CLI|REMEDIATION)_E\d{4}/);
    });
  }

  it("an unsigned plan while a plan key is configured", async () => {
    const { signature: _signature, ...unsigned } = structuredClone(original);
    const line = await expectRefused("unsigned", unsigned, /not signed/);
    expect(line).toContain("KW_CLI_E0006");
  });

  it("an inconsistent plan without a signature is refused as inconsistent, before any key is asked", async () => {
    const { signature: _signature, ...unsigned } = structuredClone(original);
    // A step targeting a secret that the plan's triage/impact data never named.
    stepOf(unsigned, "disable-secrets").target.objects.push({ type: "secret", name: "payments-master-key" });
    const line = await expectRefused("inconsistent-unsigned", rehash(unsigned), /KW_CLI_E\d{4}/);
    expect(line).toMatch(/contradicts itself|never named|not a valid remediation plan/);
    expect(line).not.toMatch(/not signed/);
  });

  it("an inconsistent plan is refused even when signed with the configured key (a signature does not excuse it)", async () => {
    const inconsistent = structuredClone(original);
    for (const step of inconsistent.steps as JsonDocument[]) if (step.target.vault !== undefined) step.target.vault.vaultUri = "https://kv-payments-prod.attacker.example/";
    const signed = await signPlan(inconsistent as RemediationPlan, parsePlanKey(planKeyText));
    const line = await expectRefused("inconsistent-signed", signed, /KW_CLI_E\d{4}/);
    expect(line).toMatch(/vaultUri|contradicts itself|not a valid remediation plan/);
  });

  it("the original plan still applies afterwards (the refusals left nothing behind that blocks it)", async () => {
    const applied = await cli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "original.jsonl", "--format", "json"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(readFileSync(statePath, "utf8")).not.toBe(stateBefore);
  });
});
