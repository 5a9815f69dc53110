import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { InMemoryJournal, type JournalEntry } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { getResponse, http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan, planRollback, RemediationCodes, type RemediationPlan } from "../src/index.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget } from "./support/harness.js";
import { ATTACKER, KEY_VAULT_SECRETS_USER, RBAC_VAULT, RBAC_VAULT_ID, remediationSeed, SUB, TENANT, VAULT, VAULT_ID } from "./support/seed.js";

/**
 * Partial progress of the rollback executors: `restore-role-assignments` and `restore-access-policy` journal each
 * sub-write as it lands (also when its answer was lost), so a rollback that stops midway is re-run without sending
 * again what already landed, and ends with the vault as it was before the plan it undoes.
 */
const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
afterEach(() => {
  tenant.server.resetHandlers();
  tenant.faults.clear();
});

const principal = { objectId: ATTACKER, tenantId: TENANT, type: "user" as const };
const forbidden = { error: { code: "AuthorizationFailed", message: "injected" } };

/**
 * The first matching request is handled by the tenant (the write lands) and its answer is lost; the second is refused
 * with a 403, so the step stops midway; later ones pass.
 */
function loseFirstRefuseSecond(method: string, url: RegExp): void {
  let seen = 0;
  tenant.server.use(
    http.all("*", async ({ request }) => {
      if (request.method !== method || !url.test(request.url)) return undefined;
      seen += 1;
      if (seen === 1) {
        await getResponse([...tenant.handlers], request);
        return HttpResponse.error();
      }
      if (seen === 2) return HttpResponse.json(forbidden, { status: 403 });
      return undefined;
    }),
  );
}

const entriesOf = (entries: JournalEntry[], planId: string, event: JournalEntry["event"]) => entries.filter((entry) => entry.planId === planId && entry.event === event);
/** Writes the tenant handled (answered 2xx, whether or not the client got the answer), by URL. */
const handledWrites = (method: string, url: RegExp) => tenant.calls.filter({ method, url }).filter((call) => call.status !== undefined && call.status >= 200 && call.status < 300);

/** Applies `rollback` under `fault`, then plans it again from the journal and re-runs it; `between` sees the state in between. */
async function failThenResume(journal: InMemoryJournal, rollback: RemediationPlan, fault: () => void, between: () => void) {
  const { executors } = executorsFor(tenant);
  fault();
  const first = await applyPlan(rollback, fastOptions(journal, executors));
  tenant.server.resetHandlers();
  between();
  const landed = entriesOf(await journal.entries(), rollback.id, "landed");
  // Planned again from the same journal (the rollback's own entries are not changes to undo): the same plan, resumed.
  const again = await planRollback(journal);
  expect(again).toEqual(rollback);
  const second = await applyPlan(again, fastOptions(journal, executors));
  return { first, landed, second };
}

describe("restore-role-assignments journals each recreated assignment as it lands", () => {
  const secretsUserName = "11111111-0000-4000-8000-000000000001";
  const contributorName = "22222222-0000-4000-8000-00000000c0c0";
  const contributorRole = `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/f25e0fa2-a7c8-4377-a976-54943a77a395`;
  const onVault = () =>
    [...tenant.state.roleAssignments.values()]
      .filter((assignment) => assignment.properties.principalId === ATTACKER && assignment.properties.scope === RBAC_VAULT_ID)
      .map((assignment) => ({ name: assignment.name, role: assignment.properties.roleDefinitionId }))
      .sort((a, b) => a.name.localeCompare(b.name));

  it("a rollback stopped after one of two PUTs (its answer lost) shows that one as landed, and the re-run sends only the other", async () => {
    tenant.reset();
    await new AuthorizationManagementClient(tenant.credential, SUB).roleAssignments.create(RBAC_VAULT_ID, contributorName, {
      roleDefinitionId: contributorRole,
      principalId: ATTACKER,
      principalType: "User",
    });
    const original = onVault();
    expect(original.map((assignment) => assignment.name)).toEqual([secretsUserName, contributorName]);
    const plan = buildPlan([
      {
        kind: "remove-role-assignments",
        target: { vault: vaultTarget(RBAC_VAULT), principal },
        parameters: {
          includeInherited: false,
          assignments: [
            { id: `${RBAC_VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/${secretsUserName}`, scope: RBAC_VAULT_ID, roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`, roleName: "Key Vault Secrets User" },
            { id: `${RBAC_VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/${contributorName}`, scope: RBAC_VAULT_ID, roleDefinitionId: contributorRole, roleName: "Key Vault Contributor" },
          ],
        },
        ...common,
      },
    ]);
    const journal = new InMemoryJournal();
    expect((await applyPlan(plan, fastOptions(journal, executorsFor(tenant).executors))).status).toBe("completed");
    expect(onVault()).toEqual([]);

    const rollback = await planRollback(journal);
    expect(rollback.steps).toMatchObject([{ kind: "restore-role-assignments" }]);
    const order = (rollback.steps[0]?.parameters as { assignments: { name: string }[] }).assignments.map((assignment) => assignment.name);
    expect([...order].sort()).toEqual([secretsUserName, contributorName].sort());
    const put = /\/roleAssignments\/[0-9a-f-]+(\?|$)/;
    tenant.calls.clear();
    let stopped: ReturnType<typeof onVault> = [];
    const { first, landed, second } = await failThenResume(journal, rollback, () => loseFirstRefuseSecond("PUT", put), () => (stopped = onVault()));

    expect(first.status).toBe("failed");
    // Exactly the write that landed, found by reading again after its answer was lost.
    expect(landed).toHaveLength(1);
    expect(landed[0]?.code).toBe(RemediationCodes.subWriteLanded);
    expect(landed[0]?.data?.["answer"]).toBe("lost");
    expect(landed[0]?.before).toEqual({ missing: [order[0]] });
    expect(stopped.map((assignment) => assignment.name)).toEqual([order[0]]);

    expect(second.status).toBe("completed");
    expect(onVault()).toEqual(original);
    // Each assignment was created once over both runs: no PUT was sent again after it landed.
    for (const name of order) expect(handledWrites("PUT", new RegExp(`/roleAssignments/${name}(\\?|$)`)), name).toHaveLength(1);
    expect(tenant.calls.filter({ method: "PUT", url: new RegExp(`/roleAssignments/${order[0]}(\\?|$)`) })).toHaveLength(1);
  });
});

describe("restore-access-policy journals each entry given back as it lands", () => {
  const policies = () => structuredClone(tenant.state.vaults.get(VAULT_ID)?.resource.properties.accessPolicies ?? []);
  const byKey = (entries: ReturnType<typeof policies>) => new Map(entries.map((entry) => [`${entry.objectId}|${entry.applicationId ?? ""}`, entry.permissions]));

  it("a rollback stopped after one of two adds (its answer lost) shows that one as landed, and the re-run sends only the other", async () => {
    tenant.reset();
    const original = policies();
    const journal = new InMemoryJournal();
    const plan = buildPlan([{ kind: "remove-access-policy", target: { vault: vaultTarget(VAULT), principal }, parameters: { allowVaultPutFallback: false }, ...common }]);
    expect((await applyPlan(plan, fastOptions(journal, executorsFor(tenant).executors))).status).toBe("completed");
    expect(policies().some((entry) => entry.objectId === ATTACKER)).toBe(false);

    const rollback = await planRollback(journal);
    const restored = (rollback.steps[0]?.parameters as { entries: { objectId: string; applicationId?: string }[] }).entries;
    expect(restored).toHaveLength(2);
    const add = /\/accessPolicies\/add(\?|$)/;
    tenant.calls.clear();
    let stopped = new Map<string, unknown>();
    const { first, landed, second } = await failThenResume(journal, rollback, () => loseFirstRefuseSecond("PUT", add), () => (stopped = byKey(policies())));

    expect(first.status).toBe("failed");
    expect(landed).toHaveLength(1);
    expect(landed[0]?.data?.["answer"]).toBe("lost");
    // The entry that was given back was absent before that write.
    expect(landed[0]?.before).toEqual({ entries: [] });
    expect(stopped.has(`${ATTACKER}|${restored[0]?.applicationId ?? ""}`)).toBe(true);
    expect(stopped.has(`${ATTACKER}|${restored[1]?.applicationId ?? ""}`)).toBe(false);

    expect(second.status).toBe("completed");
    expect(byKey(policies())).toEqual(byKey(original));
    // One add per entry over both runs (the refused try never reached the tenant): nothing was sent twice.
    expect(handledWrites("PUT", add)).toHaveLength(2);
    expect(tenant.calls.filter({ method: "PUT", url: add })).toHaveLength(2);
  });
});
