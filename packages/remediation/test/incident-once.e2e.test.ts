import { DefenderAlertsClient } from "@keywarden/alerts";
import { InMemoryJournal, type JournalEntry } from "@keywarden/core";
import { useFakeAzure, type FakeAzure } from "@keywarden/testing/vitest";
import { ArmVaultInspector, GraphDirectory, triageAlert } from "@keywarden/triage";
import { describe, expect, it } from "vitest";
import {
  alertStateClientFrom,
  applyPlan,
  IncidentHistory,
  planResponse,
  randomValueRotator,
  RemediationCodes,
  stepOutcomesFromJournal,
  type ImpactInput,
  type RemediationPlan,
} from "../src/index.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget } from "./support/harness.js";
import { ALERT_ID, ATTACKER, remediationSeed, RESPONDER_IP, TENANT, VAULT, VAULT_ID } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
const noRetry = { retryOptions: { maxRetries: 0 } };

const impact: ImpactInput = {
  vault: { name: VAULT, resourceId: VAULT_ID },
  callers: [{ ipAddress: "185.220.101.45", objectId: ATTACKER, count: 3, suspicious: true }],
  toRotate: [{ type: "secret", name: "db-password", versions: [], reason: "SecretGet by the suspicious caller" }],
};

async function triage() {
  const alert = await new DefenderAlertsClient(tenant.credential, noRetry).getAlert(ALERT_ID);
  return triageAlert(
    alert,
    {
      tenantId: TENANT,
      vaults: new ArmVaultInspector(tenant.credential, noRetry),
      directory: new GraphDirectory(tenant.credential, noRetry),
      now: () => new Date("2026-11-28T09:00:00Z"),
    },
    { simulatedAlerts: "respond" },
  );
}

/** A delivery of the alert planned anew: a later `now` gives a plan with another id, as a retried workflow would. */
async function planDelivery(now: string, incidentJournal?: readonly JournalEntry[]): Promise<RemediationPlan> {
  return planResponse(
    await triage(),
    impact,
    { now, firewall: { addIpRules: [RESPONDER_IP] }, secrets: { allowRandomValue: true } },
    incidentJournal === undefined ? {} : { incidentJournal },
  );
}

function harness(fake: FakeAzure) {
  const alerts = alertStateClientFrom(new DefenderAlertsClient(fake.credential, noRetry));
  return executorsFor(fake, { rotators: [randomValueRotator()], alerts });
}

const revokeCalls = (fake: FakeAzure) => fake.calls.filter({ method: "POST", url: /revokeSignInSessions/i }).filter((call) => call.status === 200 || call.status === 204).length;
const newSecretVersions = (fake: FakeAzure, name: string) =>
  fake.calls.filter({ method: "PUT", url: new RegExp(`/secrets/${name}(\\?|$)`, "i") }).filter((call) => call.status === 200).length;

describe("one incident, one response", () => {
  it("a re-delivered alert applied with the same journal repeats no irreversible step: one notification, one revocation, one new secret version", async () => {
    const journal = new InMemoryJournal();
    const people = harness(tenant);
    const first = await planDelivery("2026-11-28T09:01:00Z");
    const kinds = first.steps.map((step) => step.kind);
    expect(kinds).toEqual(expect.arrayContaining(["contact-owner", "revoke-sessions", "rotate-secrets"]));
    const firstRun = await applyPlan(first, fastOptions(journal, people.executors));
    expect(firstRun.status, JSON.stringify(firstRun.steps.filter((step) => step.error))).toBe("completed");
    expect(revokeCalls(tenant)).toBe(1);
    expect(newSecretVersions(tenant, "db-password")).toBe(1);
    expect(people.notifier.tasks.filter((task) => task.kind === "contact-owner")).toHaveLength(1);

    // The workflow retries: the same alert, planned again without the journal (the engine still has it).
    const second = await planDelivery("2026-11-28T09:20:00Z");
    expect(second.id).not.toBe(first.id);
    const secondRun = await applyPlan(second, fastOptions(journal, people.executors));
    expect(secondRun.status, JSON.stringify(secondRun.steps.filter((step) => step.error))).toBe("completed");

    expect(revokeCalls(tenant)).toBe(1);
    expect(newSecretVersions(tenant, "db-password")).toBe(1);
    expect(people.notifier.tasks.filter((task) => task.kind === "contact-owner")).toHaveLength(1);
    for (const kind of ["contact-owner", "revoke-sessions", "rotate-secrets"] as const) {
      const result = secondRun.steps.find((step) => step.kind === kind);
      const earlier = firstRun.steps.find((step) => step.kind === kind);
      expect(result?.status).toBe("skipped");
      // The reason names the earlier plan and step.
      expect(result?.skipReason).toContain(first.id);
      expect(result?.skipReason).toContain(earlier?.stepId ?? "?");
    }
    const entries = await journal.entries();
    const skippedEntry = entries.find((entry) => entry.planId === second.id && entry.kind === "revoke-sessions");
    expect(skippedEntry?.event).toBe("skipped");
    expect(skippedEntry?.code).toBe(RemediationCodes.doneInIncident);
    expect(skippedEntry?.message).toMatch(/journal entry \d+/);
    const outcomes = stepOutcomesFromJournal(second.steps, entries, second.id);
    expect(outcomes.find((outcome) => outcome.kind === "revoke-sessions")?.status).toBe("skipped");
  });

  it("planResponse given the incident's journal leaves out what was done and says why; a separate journal is honoured at apply time", async () => {
    const journal = new InMemoryJournal();
    const people = harness(tenant);
    const first = await planDelivery("2026-11-28T09:01:00Z");
    expect((await applyPlan(first, fastOptions(journal, people.executors))).status).toBe("completed");

    const replanned = await planDelivery("2026-11-28T09:20:00Z", await journal.entries());
    const kinds = replanned.steps.map((step) => step.kind);
    expect(kinds).not.toContain("revoke-sessions");
    expect(kinds).not.toContain("contact-owner");
    expect(kinds).not.toContain("rotate-secrets");
    const notes = replanned.warnings.filter((warning) => warning.code === RemediationCodes.doneInIncident);
    expect(notes.length).toBeGreaterThanOrEqual(3);
    expect(notes.every((warning) => warning.message.includes(first.id))).toBe(true);

    // The plan made without the journal, applied with a fresh journal: the incident's journal is passed separately.
    const blind = await planDelivery("2026-11-28T09:30:00Z");
    const fresh = new InMemoryJournal();
    const run = await applyPlan(blind, fastOptions(fresh, people.executors, { incidentJournal: journal }));
    expect(run.status).toBe("completed");
    expect(revokeCalls(tenant)).toBe(1);
    expect(newSecretVersions(tenant, "db-password")).toBe(1);
    expect(people.notifier.tasks.filter((task) => task.kind === "contact-owner")).toHaveLength(1);
  });

  it("a rotation done for some objects runs for the others only; an unverified journal is no evidence", async () => {
    const people = harness(tenant);
    const rotate = (names: string[], alertIds: string[]) =>
      buildPlan(
        [
          {
            kind: "rotate-secrets",
            target: { vault: vaultTarget(VAULT), objects: names.map((name) => ({ type: "secret" as const, name })) },
            parameters: { allowRandomValue: true },
            ...common,
            reversible: false,
          },
        ],
        alertIds,
      );
    const journal = new InMemoryJournal();
    expect((await applyPlan(rotate(["db-password"], [ALERT_ID]), fastOptions(journal, people.executors))).status).toBe("completed");
    const both = rotate(["api-token", "db-password"], [ALERT_ID]);
    const run = await applyPlan(both, fastOptions(journal, people.executors));
    expect(run.status).toBe("completed");
    expect(run.steps[0]?.status).toBe("succeeded");
    expect(run.steps[0]?.warnings.map((warning) => warning.code)).toContain(RemediationCodes.doneInIncident);
    expect(newSecretVersions(tenant, "db-password")).toBe(1);
    expect(newSecretVersions(tenant, "api-token")).toBe(1);

    // Another alert is another incident: nothing is skipped.
    const other = await applyPlan(rotate(["db-password"], ["/subscriptions/x/alerts/another"]), fastOptions(journal, people.executors));
    expect(other.steps[0]?.status).toBe("succeeded");
    expect(newSecretVersions(tenant, "db-password")).toBe(2);

    // Entries copied into a journal without their key cannot be verified: they skip nothing.
    const copied = new InMemoryJournal(await journal.entries());
    expect(copied.verified).toBe(false);
    const again = await applyPlan(rotate(["db-password", "api-token"], [ALERT_ID]), fastOptions(copied, people.executors));
    expect(again.steps[0]?.status).toBe("succeeded");
    expect(newSecretVersions(tenant, "db-password")).toBe(3);
  });

  it("IncidentHistory counts only landed, real steps of the same alert on the same target", () => {
    const target = { vault: vaultTarget(VAULT), principal: { objectId: ATTACKER } };
    const entry = (over: Partial<JournalEntry>): JournalEntry => ({
      seq: 1,
      time: "2026-11-28T09:00:00Z",
      planId: "kwp_a",
      stepId: "s02-revoke-sessions",
      kind: "revoke-sessions",
      event: "succeeded",
      code: RemediationCodes.stepSucceeded,
      message: "",
      alertIds: [ALERT_ID],
      data: { target },
      ...over,
    });
    const step = { kind: "revoke-sessions" as const, target };
    expect(new IncidentHistory([entry({})], [ALERT_ID]).match(step).done).toHaveLength(1);
    expect(new IncidentHistory([entry({ dryRun: true })], [ALERT_ID]).match(step).done).toHaveLength(0);
    expect(new IncidentHistory([entry({ event: "failed" })], [ALERT_ID]).match(step).done).toHaveLength(0);
    expect(new IncidentHistory([entry({})], ["/subscriptions/x/alerts/other"]).match(step).done).toHaveLength(0);
    expect(new IncidentHistory([entry({})], [ALERT_ID], { excludePlanId: "kwp_a" }).match(step).done).toHaveLength(0);
    expect(new IncidentHistory([entry({})], [ALERT_ID]).match({ kind: "revoke-sessions", target: { principal: { objectId: "someone-else" } } }).done).toHaveLength(0);
    // Only irreversible kinds are once per incident: a firewall step is always checked against live state instead.
    expect(new IncidentHistory([entry({ kind: "enable-firewall" })], [ALERT_ID]).match({ kind: "enable-firewall", target }).done).toHaveLength(0);
  });
});
