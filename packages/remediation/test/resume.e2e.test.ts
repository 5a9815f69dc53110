import { FileJournal, InMemoryJournal, type Journal, type JournalEntry, type NewJournalEntry } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyPlan, randomValueRotator } from "../src/index.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget } from "./support/harness.js";
import { ATTACKER, remediationSeed, RESPONDER_IP, TENANT, VAULT, VERSIONS } from "./support/seed.js";
import { responseState } from "./support/snapshot.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });

const plan = buildPlan([
  {
    kind: "enable-firewall",
    target: { vault: vaultTarget(VAULT) },
    parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules: [RESPONDER_IP], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
    ...common,
  },
  { kind: "remove-access-policy", target: { vault: vaultTarget(VAULT), principal: { objectId: ATTACKER, tenantId: TENANT } }, parameters: { allowVaultPutFallback: true }, ...common },
  { kind: "rotate-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "db-password" }] }, parameters: { allowRandomValue: true }, ...common, reversible: false },
  {
    kind: "disable-secrets",
    target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "db-password", versions: VERSIONS.dbPassword }] },
    parameters: {},
    ...common,
  },
  { kind: "delete-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "api-token" }] }, parameters: { purge: false }, ...common },
]);

/** A journal that pulls the plug (aborts the run) right after it records a chosen entry: a crash at that point. */
class CrashingJournal implements Journal {
  constructor(
    private readonly inner: Journal,
    private readonly controller: AbortController,
    private readonly crashAfter: (entry: JournalEntry) => boolean,
  ) {}
  async append(entry: NewJournalEntry): Promise<JournalEntry> {
    const stored = await this.inner.append(entry);
    if (this.crashAfter(stored)) this.controller.abort();
    return stored;
  }
  entries(): Promise<JournalEntry[]> {
    return this.inner.entries();
  }
}

const executors = () => executorsFor(tenant, { rotators: [randomValueRotator()] }).executors;

async function cleanState() {
  tenant.reset();
  const result = await applyPlan(plan, fastOptions(new InMemoryJournal(), executors()));
  expect(result.status).toBe("completed");
  return responseState(tenant);
}

describe("crash and resume", () => {
  for (const point of ["started", "succeeded"] as const) {
    it(`resumes to the same final state after a crash right after each step is ${point}`, async () => {
      const expected = await cleanState();
      for (const [index, step] of plan.steps.entries()) {
        tenant.reset();
        const journal = new InMemoryJournal();
        const controller = new AbortController();
        const crashing = new CrashingJournal(journal, controller, (entry) => entry.stepId === step.id && entry.event === point);
        const crashed = await applyPlan(plan, fastOptions(crashing, executors(), { abortSignal: controller.signal }));
        const last = plan.steps.length - 1;
        if (!(point === "succeeded" && index === last)) {
          expect(crashed.status, `crash after ${step.id} ${point}`).toBe("aborted");
        }
        const resumed = await applyPlan(plan, fastOptions(journal, executors()));
        expect(resumed.status, `resume after ${step.id} ${point}`).toBe("completed");
        expect(responseState(tenant), `state after resuming from ${step.id} ${point}`).toEqual(expected);
        // Steps finished before the crash are not redone.
        for (const done of plan.steps.slice(0, point === "succeeded" ? index + 1 : index)) {
          expect(resumed.steps.find((result) => result.stepId === done.id)?.status).toBe("completed-earlier");
        }
        const entries = await journal.entries();
        for (const each of plan.steps) {
          expect(entries.filter((entry) => entry.stepId === each.id && entry.event === "succeeded").length).toBeLessThanOrEqual(1);
        }
      }
    }, 60_000);
  }

  it("resumes from a durable file journal reopened after the crash", async () => {
    const expected = await cleanState();
    tenant.reset();
    const path = join(mkdtempSync(join(tmpdir(), "kw-remediation-")), "journal.jsonl");
    const controller = new AbortController();
    const first = FileJournal.open(path);
    const crashed = await applyPlan(
      plan,
      fastOptions(new CrashingJournal(first, controller, (entry) => entry.stepId === plan.steps[2]?.id && entry.event === "started"), executors(), {
        abortSignal: controller.signal,
      }),
    );
    expect(crashed.status).toBe("aborted");
    const reopened = FileJournal.open(path);
    const resumed = await applyPlan(plan, fastOptions(reopened, executors()));
    expect(resumed.status).toBe("completed");
    expect(responseState(tenant)).toEqual(expected);
  });
});
