import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { KeyClient } from "@azure/keyvault-keys";
import { createFakeAzure, type FakeAzureSeed } from "@keywarden/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, type JsonDocument } from "./helpers/run-cli.js";

/**
 * `--plan-key-id`: plans signed and verified by a key in Key Vault (`CryptographyClient.sign`/`verify`), the private
 * key never leaving the vault. The key lives in the sandbox tenant, so every sign and verify is a real SDK call.
 */
const work = makeWorkDir();
afterAll(() => work.cleanup());
const env = { KEYWARDEN_KEYS_DIR: join(work.dir, "keys") };
const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { cwd: work.dir, env: { ...env, ...extra } });
const statePath = join(work.dir, ".keywarden/sandbox.json");
const VAULT_URL = "https://kv-payments-prod.vault.azure.net";

/** Changes the saved sandbox tenant in this process (the real KeyClient on the fake), then saves it back. */
async function withSandboxTenant<T>(task: (keys: KeyClient) => Promise<T>): Promise<T> {
  const tenant = createFakeAzure({ seed: JSON.parse(readFileSync(statePath, "utf8")) as FakeAzureSeed });
  try {
    const result = await task(new KeyClient(VAULT_URL, tenant.credential, { httpClient: tenant.httpClient, retryOptions: { maxRetries: 0 } }));
    writeFileSync(statePath, JSON.stringify(tenant.exportSeed()));
    return result;
  } finally {
    tenant.close();
  }
}

/** An edit re-identified with the unkeyed content hash, as an attacker can. */
function rehash(plan: JsonDocument): JsonDocument {
  const canonical = (value: unknown): string => {
    if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
    if (Array.isArray(value)) return `[${value.map((item) => canonical(item === undefined ? null : item)).join(",")}]`;
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(",")}}`;
  };
  const { id: _id, signature: _signature, ...content } = plan;
  return { ...plan, id: `kwp_${createHash("sha256").update(canonical(content)).digest("hex").slice(0, 32)}` };
}

let alertId = "";
let keyId = "";
let signed: JsonDocument;

beforeAll(async () => {
  expect((await cli(["sandbox", "reset"])).code).toBe(0);
  alertId = parseJsonOutput<JsonDocument[]>(await cli(["--sandbox", "alerts", "list", "--format", "json"]))[0].id;
  keyId = await withSandboxTenant(async (keys) => (await keys.createRsaKey("plan-signing", { keySize: 2048, keyOps: ["sign", "verify"] })).id ?? "");
  expect(keyId).toMatch(/^https:\/\/kv-payments-prod\.vault\.azure\.net\/keys\/plan-signing\/[0-9a-f]{32}$/);
  const respond = await cli(["--sandbox", "--plan-key-id", keyId, "respond", alertId, "--out", "plan.json", "--format", "json"]);
  expect(respond.code, respond.stderr).toBe(0);
  signed = JSON.parse(readFileSync(join(work.dir, "plan.json"), "utf8"));
});

describe("plans signed with a Key Vault key (--plan-key-id)", () => {
  it("signs the plan in Key Vault (PS256, the key's id) and the apply verifies it there", async () => {
    expect(signed.signature).toMatchObject({ algorithm: "PS256", keyId });
    const respondText = await cli(["--sandbox", "--plan-key-id", keyId, "respond", alertId, "--out", "plan-text.json"]);
    // The hint to apply carries the key: pasted as printed, it verifies with the key that signed.
    expect(respondText.stdout).toContain(`keywarden --sandbox --plan-key-id ${keyId} apply plan-text.json`);
    const applied = await cli(["--sandbox", "--plan-key-id", keyId, "apply", "plan.json", "--yes", "--journal", "signed.jsonl", "--format", "json"]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(parseJsonOutput(applied).status).toBe("completed");
    // The rollback plan is signed with the same key, and verified with it before it runs.
    const rollback = await cli(["--sandbox", "--plan-key-id", keyId, "rollback", "--journal", "signed.jsonl", "--yes", "--out", "rollback.json", "--format", "json"]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expect(parseJsonOutput(rollback).status).toBe("completed");
    expect(JSON.parse(readFileSync(join(work.dir, "rollback.json"), "utf8")).signature).toMatchObject({ algorithm: "PS256", keyId });
  });

  it("refuses (exit 2, nothing journaled) an edited plan, and a plan checked with the local key instead", async () => {
    const edited = structuredClone(signed);
    edited.steps.forEach((step: JsonDocument) => (step.requiresApproval = false));
    writeFileSync(join(work.dir, "edited.json"), JSON.stringify(rehash(edited)));
    const refused = await cli(["--sandbox", "--plan-key-id", keyId, "apply", "edited.json", "--yes", "--journal", "edited.jsonl"]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain("edited.json is not a plan this key signed");
    expect(refused.stderr).toContain("[KW_CLI_E0006]");
    expect(existsSync(join(work.dir, "edited.jsonl"))).toBe(false);
    const local = await cli(["--sandbox", "apply", "plan.json", "--yes", "--journal", "local.jsonl"]);
    expect(local.code, local.stderr).toBe(2);
    expect(local.stderr).toContain("plan.json is not a plan this key signed");
  });

  it("a key that refuses to verify (disabled) gives KW_REMEDIATION_E0026's message, not 'edited' (exit 1)", async () => {
    await withSandboxTenant(async (keys) => {
      await keys.updateKeyProperties("plan-signing", keyId.split("/").at(-1) ?? "", { enabled: false });
    });
    const refused = await cli(["--sandbox", "--plan-key-id", keyId, "apply", "plan.json", "--yes", "--journal", "disabled.jsonl"]);
    expect(refused.code, refused.stderr).toBe(1);
    expect(refused.stderr).toContain(`Key Vault key ${keyId} cannot verify plans (Key Vault answered 403`);
    expect(refused.stderr).toContain("[KW_REMEDIATION_E0026]");
    expect(refused.stderr).not.toContain("is not a plan this key signed");
    // Signing with it is refused the same way: respond writes no plan.
    const respond = await cli(["--sandbox", "--plan-key-id", keyId, "respond", alertId, "--out", "never.json"]);
    expect(respond.code).toBe(1);
    expect(respond.stderr).toContain("cannot sign plans");
  });

  it("refuses a --plan-key-id that is not a Key Vault key identifier (exit 2)", async () => {
    for (const bad of ["http://kv-payments-prod.vault.azure.net/keys/plan-signing", "https://attacker.example/keys/plan-signing", "https://kv-payments-prod.vault.azure.net/secrets/x"]) {
      const result = await cli(["--sandbox", "--plan-key-id", bad, "apply", "plan.json", "--yes"]);
      expect(result.code, bad).toBe(2);
      expect(result.stderr).toContain("is not a Key Vault key identifier");
    }
  });
});
