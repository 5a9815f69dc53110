import { InMemoryJournal } from "@keywarden/core";
import { AzureLogger, getLogLevel, setLogLevel } from "@azure/logger";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyPlan, defineRotator, formatPlan, planRollback, randomValueRotator, type SecretRotator } from "../src/index.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget } from "./support/harness.js";
import { actionScenarios } from "./support/scenarios.js";
import { CANARIES, remediationSeed, VAULT, VAULT_ID } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });

const logLines: string[] = [];
const originalLog = AzureLogger.log.bind(AzureLogger);
const originalLevel = getLogLevel();
beforeAll(() => {
  AzureLogger.log = (...args: unknown[]) => logLines.push(args.map((arg) => (typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
  setLogLevel("verbose");
});
afterAll(() => {
  AzureLogger.log = originalLog;
  if (originalLevel === undefined) setLogLevel();
  else setLogLevel(originalLevel);
});

describe("secret values never leak", () => {
  it("keeps every seeded and every newly rotated value out of journals, results, plans, errors and logs", async () => {
    const newValues: string[] = [];
    const recording = (inner: SecretRotator): SecretRotator => ({
      ...inner,
      rotate: async (request) => {
        const rotated = await inner.rotate(request);
        newValues.push(rotated.value);
        return rotated;
      },
    });
    const sql = defineRotator({
      name: "sql",
      match: { contentTypes: ["application/x-sql-password"] },
      rotate: () => Promise.resolve({ value: "canary-rotated-sql-7c1d44" }),
    });
    const outputs: string[] = [];
    const run = async (plan: ReturnType<typeof buildPlan>, journal = new InMemoryJournal(), dryRun = false) => {
      const harness = executorsFor(tenant, { rotators: [recording(sql), recording(randomValueRotator())] });
      const result = await applyPlan(plan, fastOptions(journal, harness.executors, { dryRun }));
      outputs.push(JSON.stringify(plan), formatPlan(plan), JSON.stringify(result), JSON.stringify(await journal.entries()));
      for (const step of result.steps) if (step.error !== undefined) outputs.push(step.error.message);
      return { result, journal };
    };

    for (const scenario of actionScenarios) {
      tenant.reset();
      await run(scenario.plan(), new InMemoryJournal(), true);
      const { journal } = await run(scenario.plan());
      try {
        const rollback = await planRollback(journal);
        outputs.push(JSON.stringify(rollback), formatPlan(rollback));
        await run(rollback);
      } catch (error) {
        outputs.push(error instanceof Error ? error.message : String(error));
      }
    }
    tenant.reset();
    // Rotation through the content-type rotator, and a failure path (a deleted-but-recoverable name).
    const rotation = buildPlan([
      { kind: "rotate-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "db-password" }] }, parameters: { allowRandomValue: false }, ...common, reversible: false },
      { kind: "rotate-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "old-token" }] }, parameters: { allowRandomValue: true }, ...common, reversible: false },
    ]);
    const { result } = await run(rotation);
    expect(result.steps[1]?.status).toBe("failed");

    const secrets = [...CANARIES, ...newValues, "canary-rotated-sql-7c1d44"];
    expect(newValues.length).toBeGreaterThanOrEqual(2);
    // The values are really in the tenant: the check below could fail.
    const stored = tenant.state.vaults.get(VAULT_ID)?.secrets.get("db-password")?.versions.map((version) => version.value) ?? [];
    expect(stored).toContain("canary-rotated-sql-7c1d44");
    expect(stored).toContain(CANARIES[0]);
    expect(logLines.length).toBeGreaterThan(0);

    const haystack = [...outputs, ...logLines].join("\n");
    for (const value of secrets) expect(haystack.includes(value), `leaked ${value.slice(0, 12)}…`).toBe(false);
  }, 60_000);
});
