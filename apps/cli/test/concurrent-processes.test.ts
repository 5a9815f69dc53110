import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { FileJournal } from "@keywarden/core";
import { parsePlanKey, signPlan, type RemediationPlan } from "@keywarden/remediation";
import { computePlanId } from "@keywarden/remediation/internal";
import { loadSeed, startFakeAzureServer, type FakeAzureServer } from "@keywarden/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { makeWorkDir, parseJsonOutput, runCli, startCli, type CliResult, type JsonDocument } from "./helpers/run-cli.js";

/**
 * Two `keywarden apply` processes at once against ONE tenant: the fake's server mode (real HTTPS on loopback, reached
 * through HTTPS_PROXY with its CA trusted), so both processes see the same vault, as two operators in Azure would. The
 * sandbox cannot show this: each sandbox command loads and saves its own copy of the state file.
 */
const work = makeWorkDir();
const keysDir = join(work.dir, "keys");
const sandboxCli = (args: string[]) => runCli(args, { cwd: work.dir, env: { KEYWARDEN_KEYS_DIR: keysDir } });

let server: FakeAzureServer;
let liveEnv: Record<string, string>;
let subscriptionId = "";
let vaultId = "";

const FIRST_IP = "203.0.113.77";
const SECOND_IP = "198.51.100.88";

/** A plan cut down to its steps of `kinds` (still consistent with the triage data it records), signed with the CLI's key. */
async function planOf(file: string, kinds: readonly string[], out: string): Promise<RemediationPlan> {
  const plan = JSON.parse(readFileSync(join(work.dir, file), "utf8")) as RemediationPlan;
  const { id: _id, signature: _signature, ...content } = { ...plan, steps: plan.steps.filter((step) => kinds.includes(step.kind)), irreversible: [] };
  const key = parsePlanKey(readFileSync(join(keysDir, "plan-signing-key.pem"), "utf8"));
  const signed = await signPlan({ ...content, id: computePlanId(content) }, key);
  writeFileSync(join(work.dir, out), JSON.stringify(signed, null, 2));
  return signed;
}

/** `keywarden apply` in live mode, pointed at the fake server (a real credential, a real proxy, a real CA). */
const liveApply = (plan: string, journal: string, extra: string[] = []) =>
  startCli(["--subscription", subscriptionId, "apply", plan, "--yes", "--journal", journal, "--format", "json", ...extra], { cwd: work.dir, env: liveEnv });

const journalLines = (path: string): JsonDocument[] =>
  readFileSync(join(work.dir, path), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));

/** The vault's IP rules as addresses (the service stores a single address as `a.b.c.d/32`). */
/** Waits until the journal at `path` has an entry for which `found` holds (the first process is then inside its apply). */
async function untilJournal(path: string, found: (entry: JsonDocument) => boolean): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    try {
      if (journalLines(path).some(found)) return;
    } catch {
      // Not written yet (or a line being written): look again.
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${path} never got the awaited entry`);
}

const ipRules = () => (server.tenant.state.vaults.get(vaultId)?.resource.properties.networkAcls?.ipRules ?? []).map((rule) => rule.value.replace(/\/32$/, ""));
const describeRun = (result: CliResult) => `exit ${String(result.code)}\nstdout: ${result.stdout.slice(0, 2000)}\nstderr: ${result.stderr.slice(0, 2000)}`;

beforeAll(async () => {
  expect((await sandboxCli(["sandbox", "reset"])).code).toBe(0);
  const alertId = parseJsonOutput<JsonDocument[]>(await sandboxCli(["--sandbox", "alerts", "list", "--format", "json"]))[0].id as string;
  for (const [ip, out] of [[FIRST_IP, "first.json"], [SECOND_IP, "second.json"]] as const) {
    const respond = await sandboxCli(["--sandbox", "--allow-ip", ip, "respond", alertId, "--out", out, "--format", "json"]);
    expect(respond.code, respond.stderr).toBe(0);
  }
  // The server serves the very tenant the plans were made from.
  const seed = loadSeed(readFileSync(join(work.dir, ".keywarden", "sandbox.json"), "utf8"));
  server = await startFakeAzureServer({ tenantOptions: { seed } });
  writeFileSync(join(work.dir, "fake-azure-ca.pem"), server.caPem);
  liveEnv = {
    KEYWARDEN_KEYS_DIR: keysDir,
    HTTPS_PROXY: server.proxyUrl ?? "",
    NODE_EXTRA_CA_CERTS: join(work.dir, "fake-azure-ca.pem"),
    AZURE_TENANT_ID: server.tenant.state.tenantId,
    AZURE_CLIENT_ID: server.tenant.context.identity().applicationId,
    AZURE_CLIENT_SECRET: "any-non-empty-secret",
    NO_PROXY: "",
    no_proxy: "",
  };
  const firewall = (await planOf("first.json", ["enable-firewall"], "first-firewall.json")).steps[0];
  if (firewall?.target.vault === undefined) throw new Error("the sandbox plan has no enable-firewall step");
  subscriptionId = firewall.target.vault.subscriptionId;
  vaultId = [...server.tenant.state.vaults.keys()].find((id) => id.toLowerCase() === firewall.target.vault?.resourceId.toLowerCase()) ?? "";
  await planOf("second.json", ["enable-firewall"], "second-firewall.json");
  await planOf("first.json", ["enable-firewall", "disable-secrets"], "first-containment.json");
}, 120_000);

afterAll(async () => {
  await server?.close();
  work.cleanup();
});

describe("two apply processes against one tenant", () => {
  it("one journal: one process runs, the other is refused naming the holder; no duplicate sequence numbers; the journal verifies and rolls back", async () => {
    server.tenant.reset();
    const before = ipRules();
    // Every read of the vault takes a while, so the first apply is still running when the second one starts.
    const slow = server.tenant.faults.inject({ method: "GET", url: /\/vaults\/[^/?]+(\?|$)/, delayInMs: 800 });
    // The second process starts once the first one holds the journal (its "planned" entry is written).
    const first = liveApply("first-containment.json", "shared.jsonl");
    await untilJournal("shared.jsonl", (entry) => entry.event === "planned");
    const runs = await Promise.all([first.done, liveApply("first-containment.json", "shared.jsonl").done]);
    slow.remove();
    const ran = runs.filter((result) => result.code === 0);
    const refused = runs.filter((result) => result.code !== 0);
    expect(ran, runs.map(describeRun).join("\n---\n")).toHaveLength(1);
    expect(refused, runs.map(describeRun).join("\n---\n")).toHaveLength(1);
    expect(refused[0]?.code).toBe(1);
    expect(refused[0]?.stderr).toMatch(/KW_CLI_E0030|being written by another keywarden process/);
    expect(refused[0]?.stderr).toMatch(/pid \d+ on /);

    const entries = journalLines("shared.jsonl");
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
    const started = entries.filter((entry) => entry.event === "started").map((entry) => entry.stepId);
    expect(new Set(started).size).toBe(started.length);
    // Sealed and unbroken: it opens with the CLI's journal key, so rollback can use it.
    const journal = FileJournal.open(join(work.dir, "shared.jsonl"), { key: Buffer.from(readFileSync(join(keysDir, "journal.key"), "utf8").trim(), "base64") });
    expect(journal.verified).toBe(true);
    expect(ipRules()).toContain(FIRST_IP);

    const rollback = runCli(["--subscription", subscriptionId, "rollback", "--journal", "shared.jsonl", "--yes", "--format", "json"], { cwd: work.dir, env: liveEnv });
    const rolledBack = await rollback;
    expect(rolledBack.code, describeRun(rolledBack)).toBe(0);
    expect(ipRules()).toEqual(before);
  });

  it("one journal with --wait: the second process waits for the first, then finds every step done", async () => {
    server.tenant.reset();
    const slow = server.tenant.faults.inject({ method: "GET", url: /\/vaults\/[^/?]+(\?|$)/, delayInMs: 400 });
    const first = liveApply("first-firewall.json", "waited.jsonl", ["--wait"]);
    await untilJournal("waited.jsonl", (entry) => entry.event === "planned");
    const runs = await Promise.all([first.done, liveApply("first-firewall.json", "waited.jsonl", ["--wait"]).done]);
    slow.remove();
    expect(runs.map((result) => result.code), runs.map(describeRun).join("\n---\n")).toEqual([0, 0]);
    const entries = journalLines("waited.jsonl");
    expect(entries.map((entry) => entry.seq)).toEqual(entries.map((_, index) => index + 1));
    expect(entries.filter((entry) => entry.event === "succeeded")).toHaveLength(1);
    expect(entries.filter((entry) => entry.event === "skipped" && entry.code === "KW_REMEDIATION_I0006")).toHaveLength(1);
  });

  it("one vault, separate journals: both firewall rules are there at the end (no lost update)", async () => {
    server.tenant.reset();
    const before = ipRules();
    expect(before).not.toContain(FIRST_IP);
    expect(before).not.toContain(SECOND_IP);
    // Each write of the rule set takes a while to land: without a lock across processes, the second process reads the
    // rule set while the first one's write is still on its way, and its own write then drops the first one's rule.
    const slow = server.tenant.faults.inject({ method: "PATCH", url: /\/vaults\/[^/?]+(\?|$)/, delayInMs: 2500 });
    // The second process starts once the first one is inside its firewall step.
    const first = liveApply("first-firewall.json", "first.jsonl");
    await untilJournal("first.jsonl", (entry) => entry.event === "started" && entry.kind === "enable-firewall");
    const runs = await Promise.all([first.done, liveApply("second-firewall.json", "second.jsonl").done]);
    slow.remove();
    expect(runs.map((result) => result.code), runs.map(describeRun).join("\n---\n")).toEqual([0, 0]);
    const rules = ipRules();
    for (const rule of [...before, FIRST_IP, SECOND_IP]) expect(rules).toContain(rule);
    expect(server.tenant.state.vaults.get(vaultId)?.resource.properties.networkAcls?.defaultAction).toBe("Deny");
  });
});
