import { createHash } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, startCli, type JsonDocument } from "./helpers/run-cli.js";

const work = makeWorkDir();
afterAll(() => work.cleanup());
const env = { KEYWARDEN_KEYS_DIR: join(work.dir, "keys") };
const cli = (args: string[]) => runCli(args, { cwd: work.dir, env });

/** What an attacker can do with a stored plan: edit it and recompute the unkeyed content hash. */
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

function journalLines(path: string): JsonDocument[] {
  return readFileSync(join(work.dir, path), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}

let alertId = "";
let original: JsonDocument;

beforeAll(async () => {
  expect((await cli(["sandbox", "reset"])).code).toBe(0);
  alertId = parseJsonOutput<JsonDocument[]>(await cli(["--sandbox", "alerts", "list", "--format", "json"]))[0].id;
  const respond = await cli(["--sandbox", "respond", alertId, "--out", "plan.json", "--format", "json"]);
  expect(respond.code, respond.stderr).toBe(0);
  original = JSON.parse(readFileSync(join(work.dir, "plan.json"), "utf8"));
});

describe("the CLI signs plans and enforces them", () => {
  it("signs the plan with a local key created on first use, mode 0600", () => {
    expect(original.signature?.algorithm).toBe("ed25519");
    const key = join(work.dir, "keys", "plan-signing-key.pem");
    expect(statSync(key).mode & 0o777).toBe(0o600);
  });

  it("refuses re-hashed plans (approval flags off, target vault moved, attacker IP added) with exit 2, writing nothing", async () => {
    const edits: ((plan: JsonDocument) => void)[] = [
      (plan) => plan.steps.forEach((step: JsonDocument) => (step.requiresApproval = false)),
      (plan) => plan.steps.filter((step: JsonDocument) => step.target.vault !== undefined).forEach((step: JsonDocument) => (step.target.vault.name = "kv-other")),
      (plan) => plan.steps.filter((step: JsonDocument) => step.kind === "enable-firewall").forEach((step: JsonDocument) => step.parameters.addIpRules.push("185.220.101.45")),
    ];
    for (const [index, edit] of edits.entries()) {
      const plan = structuredClone(original);
      edit(plan);
      writeFileSync(join(work.dir, `forged-${index}.json`), JSON.stringify(rehash(plan)));
      const result = await cli(["--sandbox", "apply", `forged-${index}.json`, "--yes", "--journal", `forged-${index}.jsonl`]);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toMatch(/KW_CLI_E0006|not a plan this key signed|not a valid remediation plan/);
    }
  });

  it("two concurrent applies on one journal, in separate processes, never interleave", async () => {
    const first = startCli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "shared.jsonl", "--format", "json"], { cwd: work.dir, env });
    const second = startCli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "shared.jsonl", "--format", "json"], { cwd: work.dir, env });
    const results = await Promise.all([first.done, second.done]);
    for (const result of results) {
      // Either it ran (alone), or it was refused naming the holder.
      if (result.code !== 0) {
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toMatch(/KW_CLI_E0030|being written by another keywarden process/);
        expect(result.stderr).toMatch(/pid \d+ on /);
      }
    }
    expect(results.some((result) => result.code === 0)).toBe(true);
    const entries = journalLines("shared.jsonl");
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
    const succeeded = entries.filter((entry) => entry.event === "succeeded").map((entry) => entry.stepId);
    expect(new Set(succeeded).size).toBe(succeeded.length);
    // The journal is sealed and still verifies: rollback can use it.
    expect(entries.every((entry) => typeof entry.mac === "string")).toBe(true);
    const dry = await cli(["--sandbox", "rollback", "--journal", "shared.jsonl", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
  });

  it("with --wait the second apply waits for the first and then finds everything done", async () => {
    // The plan already ran above (shared.jsonl): naming that journal makes this a later response to the same incident,
    // which must not repeat what it did irreversibly (a second revocation in the sandbox's frozen second cannot be
    // verified, so without it revoke-sessions fails).
    const args = ["--sandbox", "apply", "plan.json", "--yes", "--journal", "waited.jsonl", "--wait", "--incident-journal", "shared.jsonl", "--format", "json"];
    const first = startCli(args, { cwd: work.dir, env });
    const second = startCli(args, { cwd: work.dir, env });
    const results = await Promise.all([first.done, second.done]);
    expect(results.map((result) => result.code)).toEqual([0, 0]);
    const entries = journalLines("waited.jsonl");
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
  });

  it("refuses a journal with an edited line, naming it (exit 2)", async () => {
    const lines = readFileSync(join(work.dir, "shared.jsonl"), "utf8").trim().split("\n");
    const target = JSON.parse(lines[2] ?? "{}");
    target.message = "forged";
    lines[2] = JSON.stringify(target);
    writeFileSync(join(work.dir, "tampered.jsonl"), `${lines.join("\n")}\n`);
    const result = await cli(["--sandbox", "rollback", "--journal", "tampered.jsonl", "--yes"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("line 3");
  });
});
