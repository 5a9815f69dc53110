import { DefenderAlertsClient } from "@keywarden/alerts";
import { InMemoryJournal } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { ArmVaultInspector, GraphDirectory, triageAlert } from "@keywarden/triage";
import { SecretClient } from "@azure/keyvault-secrets";
import { describe, expect, it } from "vitest";
import {
  alertStateClientFrom,
  applyPlan,
  defineRotator,
  describeSecretsToRotate,
  planResponse,
  randomValueRotator,
  RemediationCodes,
  type ImpactInput,
  type PlanResponseOptions,
  type SecretRotationRequest,
  type SecretRotator,
} from "../src/index.js";
import { executorsFor, fastOptions } from "./support/harness.js";
import { ALERT_ID, ATTACKER, remediationSeed, RESPONDER_IP, TENANT, VAULT, VAULT_ID, VERSIONS } from "./support/seed.js";

const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
const noRetry = { retryOptions: { maxRetries: 0 } };
const EXPOSED = VERSIONS.dbPassword[2] ?? "";

const impact: ImpactInput = {
  vault: { name: VAULT, resourceId: VAULT_ID },
  callers: [{ ipAddress: "185.220.101.45", objectId: ATTACKER, count: 3, suspicious: true }],
  objects: [{ type: "secret", name: "db-password", versions: [EXPOSED], callers: [{ ipAddress: "185.220.101.45", objectId: ATTACKER, count: 3, lastTime: "2026-11-28T08:44:00Z" }] }],
  toRotate: [{ type: "secret", name: "db-password", versions: [EXPOSED], reason: "SecretGet by the suspicious caller" }],
};

async function triage() {
  const alert = await new DefenderAlertsClient(tenant.credential, noRetry).getAlert(ALERT_ID);
  const context = { tenantId: TENANT, vaults: new ArmVaultInspector(tenant.credential, noRetry), directory: new GraphDirectory(tenant.credential, noRetry), now: () => new Date("2026-11-28T09:00:00Z") };
  return triageAlert(alert, context, { simulatedAlerts: "respond" });
}

/** Plans as the CLI does: a first pass names the secrets to rotate, the vault describes them, the plan is made with the rotators the apply has. */
async function plan(rotators: readonly SecretRotator[], now: string, options: PlanResponseOptions = {}) {
  const report = await triage();
  const policy = { now, firewall: { addIpRules: [RESPONDER_IP] } };
  const secrets = await describeSecretsToRotate(planResponse(report, impact, policy), { credential: tenant.credential, clientOptions: noRetry });
  return planResponse(report, impact, policy, { ...options, rotation: { rotators, secrets } });
}

function harness(rotators: SecretRotator[]) {
  return executorsFor(tenant, { rotators, alerts: alertStateClientFrom(new DefenderAlertsClient(tenant.credential, noRetry)) });
}

const dbVersions = () => (tenant.state.vaults.get(VAULT_ID)?.secrets.get("db-password")?.versions ?? []).map((version) => ({ version: version.version, enabled: version.attributes.enabled !== false }));
const alertState = () => (tenant.state.alerts.values().next().value as { properties: { status: string } } | undefined)?.properties.status;

describe("live rotation with only the default rotators", () => {
  it("ends with an owner task, not a failure; the follow-up plan after the owner confirms disables the exposed version and closes the alert", async () => {
    const rotators = [randomValueRotator()];
    const people = harness(rotators);
    const journal = new InMemoryJournal();
    const first = await plan(rotators, "2026-11-28T09:01:00Z");
    expect(first.steps.map((step) => step.kind)).not.toContain("rotate-secrets");
    const firstRun = await applyPlan(first, fastOptions(journal, people.executors));
    expect(firstRun.status, JSON.stringify(firstRun.steps.filter((step) => step.error))).toBe("completed");
    expect(firstRun.steps.some((step) => step.error?.code === RemediationCodes.noRotator)).toBe(false);
    const task = people.notifier.tasks.find((candidate) => candidate.subject.startsWith("Rotate secret db-password"));
    expect(task?.message).toContain(`version(s) ${EXPOSED} read by ${ATTACKER} from 185.220.101.45`);
    // Nothing was minted or disabled, and the alert stays open until the owner confirms.
    expect(dbVersions().every((version) => version.enabled)).toBe(true);
    expect(tenant.calls.filter({ method: "PUT", url: /\/secrets\/db-password/i })).toEqual([]);
    expect(alertState()).toBe("InProgress");

    // The owner rotates the password at the database and stores it as a new version.
    await new SecretClient(`https://${VAULT}.vault.azure.net/`, tenant.credential, noRetry).setSecret("db-password", "rotated-by-the-owner");
    const tasksBefore = people.notifier.tasks.length;

    const followUp = await plan(rotators, "2026-11-28T10:00:00Z", { ownerConfirmed: ["db-password"], incidentJournal: await journal.entries() });
    expect(followUp.steps.map((step) => step.kind)).toContain("disable-secrets");
    expect(followUp.steps.some((step) => step.kind === "contact-owner")).toBe(false);
    const secondRun = await applyPlan(followUp, fastOptions(journal, people.executors));
    expect(secondRun.status, JSON.stringify(secondRun.steps.filter((step) => step.error))).toBe("completed");
    const versions = dbVersions();
    expect(versions.find((version) => version.version === EXPOSED)?.enabled).toBe(false);
    expect(versions.at(-1)?.enabled).toBe(true);
    expect(people.notifier.tasks.length).toBe(tasksBefore);
    expect(alertState()).toBe("Resolved");
  });

  it("a rotator registered for the secret's content type (read from the vault) rotates it: called once per object, with the idempotency key", async () => {
    const requests: SecretRotationRequest[] = [];
    const sql = defineRotator({
      name: "sql-login",
      match: { contentTypes: ["application/x-sql-password"] },
      rotate: (request) => {
        requests.push(request);
        return Promise.resolve({ value: "minted-at-the-database" });
      },
    });
    const rotators = [sql, randomValueRotator()];
    const planned = await plan(rotators, "2026-11-28T09:01:00Z");
    const rotate = planned.steps.find((step) => step.kind === "rotate-secrets");
    expect(rotate?.precondition.summary).toBe("secret db-password (rotator sql-login)");
    const result = await applyPlan(planned, fastOptions(new InMemoryJournal(), harness(rotators).executors));
    expect(result.status, JSON.stringify(result.steps.filter((step) => step.error))).toBe("completed");
    expect(requests.map((request) => request.idempotencyKey)).toEqual([`keywarden:${planned.id}:${rotate?.id ?? ""}:${VAULT}:db-password`]);
  });
});
