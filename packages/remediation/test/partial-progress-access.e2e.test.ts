import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { InMemoryJournal } from "@keywarden/core";
import { useFakeAzure } from "@keywarden/testing/vitest";
import { getResponse, http, HttpResponse } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { applyPlan, planRollback, RemediationCodes } from "../src/index.js";
import { buildPlan, common, executorsFor, fastOptions, vaultTarget } from "./support/harness.js";
import { ATTACKER, KEY_VAULT_SECRETS_USER, RBAC_VAULT, RBAC_VAULT_ID, remediationSeed, RESPONDER_IP, SUB, TENANT, VAULT, VAULT_ID } from "./support/seed.js";

/**
 * Partial progress of the steps whose sub-writes are role-assignment deletes, access-policy changes and a firewall
 * write: each is journaled as it lands (also when its answer was lost), so a step that fails midway is rolled back for
 * exactly those writes. Faults come from the fake's faults API and msw handlers in front of the tenant.
 */
const tenant = useFakeAzure({ seed: remediationSeed(), autoAdvanceInMs: 1000 });
afterEach(() => {
  tenant.server.resetHandlers();
  tenant.faults.clear();
});

const KEY_VAULT_CONTRIBUTOR = "f25e0fa2-a7c8-4377-a976-54943a77a395";
const principal = { objectId: ATTACKER, tenantId: TENANT, type: "user" as const };
/** No retries: a lost answer must be found by reading again, not by resending. */
const noRetry = { retry: { maxAttempts: 1, retryDelayInMs: 1, maxRetryDelayInMs: 1 } };

/** The service handles the request (the write lands), then the connection drops before the answer reaches the client. */
function loseAnswer(method: string, url: RegExp, times = 1): void {
  let left = times;
  tenant.server.use(
    http.all("*", async ({ request }) => {
      if (left === 0 || request.method !== method || !url.test(request.url)) return undefined;
      left -= 1;
      await getResponse([...tenant.handlers], request);
      return HttpResponse.error();
    }),
  );
}

const forbidden = { status: 403, body: { error: { code: "AuthorizationFailed", message: "injected" } } };
const landedOf = async (journal: InMemoryJournal) => (await journal.entries()).filter((entry) => entry.event === "landed");

describe("role-assignment deletes are journaled as they land", () => {
  const direct = {
    id: `${RBAC_VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-4000-8000-000000000001`,
    scope: RBAC_VAULT_ID,
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`,
    roleName: "Key Vault Secrets User",
  };
  const contributorName = "22222222-0000-4000-8000-00000000c0c0";
  const contributor = {
    id: `${RBAC_VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/${contributorName}`,
    scope: RBAC_VAULT_ID,
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_CONTRIBUTOR}`,
    roleName: "Key Vault Contributor",
  };
  const assignmentsOf = (principalId: string) =>
    [...tenant.state.roleAssignments.values()].filter((assignment) => assignment.properties.principalId === principalId).map((assignment) => assignment.name).sort();

  it("rolls back a step that deleted one of two listed assignments (its answer lost) and then failed", async () => {
    tenant.reset();
    await new AuthorizationManagementClient(tenant.credential, SUB).roleAssignments.create(RBAC_VAULT_ID, contributorName, {
      roleDefinitionId: contributor.roleDefinitionId,
      principalId: ATTACKER,
      principalType: "User",
    });
    const original = assignmentsOf(ATTACKER);
    const plan = buildPlan([
      { kind: "remove-role-assignments", target: { vault: vaultTarget(RBAC_VAULT), principal }, parameters: { includeInherited: false, assignments: [direct, contributor] }, ...common },
    ]);
    const { executors } = executorsFor(tenant);
    const journal = new InMemoryJournal();
    loseAnswer("DELETE", /roleAssignments\/11111111-0000-4000-8000-000000000001(\?|$)/);
    tenant.faults.inject({ method: "DELETE", url: new RegExp(`roleAssignments/${contributorName}(\\?|$)`), ...forbidden });
    const result = await applyPlan(plan, fastOptions(journal, executors, { ...noRetry, concurrency: 1 }));
    expect(result.status).toBe("failed");
    expect(assignmentsOf(ATTACKER)).not.toContain("11111111-0000-4000-8000-000000000001");
    expect(assignmentsOf(ATTACKER)).toContain(contributorName);

    const landed = await landedOf(journal);
    expect(landed).toHaveLength(1);
    expect(landed[0]?.code).toBe(RemediationCodes.subWriteLanded);
    expect(landed[0]?.data?.["answer"]).toBe("lost");
    expect((landed[0]?.before as { assignments: { name: string }[] }).assignments.map((assignment) => assignment.name)).toEqual(["11111111-0000-4000-8000-000000000001"]);

    tenant.faults.clear();
    tenant.server.resetHandlers();
    const rollback = await planRollback(journal);
    expect(rollback.steps).toMatchObject([{ kind: "restore-role-assignments", parameters: { assignments: [{ name: "11111111-0000-4000-8000-000000000001" }] } }]);
    expect((await applyPlan(rollback, fastOptions(journal, executors))).status).toBe("completed");
    expect(assignmentsOf(ATTACKER)).toEqual(original);
  });
});

describe("access-policy changes are journaled as they land", () => {
  const policies = () => structuredClone(tenant.state.vaults.get(VAULT_ID)?.resource.properties.accessPolicies ?? []);
  /** The first accessPolicies/remove lands with its answer lost; the second is refused, so the step fails midway. */
  function loseFirstRefuseSecond(): void {
    let seen = 0;
    tenant.server.use(
      http.put(/\/accessPolicies\/remove(\?|$)/, async ({ request }) => {
        seen += 1;
        if (seen === 1) {
          await getResponse([...tenant.handlers], request);
          return HttpResponse.error();
        }
        return HttpResponse.json(forbidden.body, { status: forbidden.status });
      }),
    );
  }

  it("remove-access-policy: rolls back exactly the entry that was removed before the step failed", async () => {
    tenant.reset();
    const original = policies();
    const { executors } = executorsFor(tenant);
    const journal = new InMemoryJournal();
    loseFirstRefuseSecond();
    const plan = buildPlan([{ kind: "remove-access-policy", target: { vault: vaultTarget(VAULT), principal }, parameters: { allowVaultPutFallback: false }, ...common }]);
    const result = await applyPlan(plan, fastOptions(journal, executors, noRetry));
    expect(result.status).toBe("failed");
    // The plain entry is gone, the compound one (ATTACKER with an application) is still there.
    expect(policies().filter((entry) => entry.objectId === ATTACKER).map((entry) => entry.applicationId ?? "")).toEqual([original.find((entry) => entry.applicationId !== undefined)?.applicationId]);

    const landed = await landedOf(journal);
    expect(landed.map((entry) => entry.data?.["answer"])).toEqual(["lost"]);
    expect(landed[0]?.before).toEqual({ entries: [expect.objectContaining({ objectId: ATTACKER, permissions: { secrets: ["Get", "List"], keys: ["Get", "WrapKey"] } })] });

    tenant.server.resetHandlers();
    const rollback = await planRollback(journal);
    expect(rollback.steps).toMatchObject([{ kind: "restore-access-policy", parameters: { entries: [{ objectId: ATTACKER }] } }]);
    expect((await applyPlan(rollback, fastOptions(journal, executors))).status).toBe("completed");
    const byKey = (entries: typeof original) => new Map(entries.map((entry) => [`${entry.objectId}|${entry.applicationId ?? ""}`, entry.permissions]));
    expect(byKey(policies())).toEqual(byKey(original));
  });

  it("restrict-permissions: rolls back the narrowing that landed before the step failed", async () => {
    tenant.reset();
    const original = policies();
    const { executors } = executorsFor(tenant);
    const journal = new InMemoryJournal();
    loseFirstRefuseSecond();
    const plan = buildPlan([
      { kind: "restrict-permissions", target: { vault: vaultTarget(VAULT), principal }, parameters: { remove: { secrets: ["get"] }, allowVaultPutFallback: false }, ...common },
    ]);
    const result = await applyPlan(plan, fastOptions(journal, executors, noRetry));
    expect(result.status).toBe("failed");
    expect(policies().find((entry) => entry.objectId === ATTACKER && entry.applicationId === undefined)?.permissions.secrets).toEqual(["List"]);

    const landed = await landedOf(journal);
    expect(landed).toHaveLength(1);
    expect(landed[0]?.data?.["answer"]).toBe("lost");

    tenant.server.resetHandlers();
    const rollback = await planRollback(journal);
    expect(rollback.steps.map((step) => step.kind)).toEqual(["restore-access-policy"]);
    expect((await applyPlan(rollback, fastOptions(journal, executors))).status).toBe("completed");
    // accessPolicies/add appends what it gives back: the same permissions, in another order.
    const plain = (entries: typeof original) => {
      const permissions = entries.find((entry) => entry.objectId === ATTACKER && entry.applicationId === undefined)?.permissions ?? {};
      return Object.fromEntries(Object.entries(permissions).map(([group, values]) => [group, [...values].sort()]));
    };
    expect(plain(policies())).toEqual(plain(original));
  });
});

describe("a firewall write is journaled as it lands", () => {
  const aclsOf = () => structuredClone(tenant.state.vaults.get(VAULT_ID)?.resource.properties.networkAcls);
  const firewallPlan = () =>
    buildPlan([
      {
        kind: "enable-firewall",
        target: { vault: vaultTarget(VAULT) },
        parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules: [RESPONDER_IP], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
        ...common,
      },
    ]);
  const vaultUrl = new RegExp(`/vaults/${VAULT}(\\?|$)`);
  /** After the PATCH, the `allowed` next reads of the vault pass; every read after them is refused. */
  function refuseReadsAfterPatch(allowed: number): void {
    let patched = false;
    let reads = 0;
    tenant.server.use(
      http.all("*", ({ request }) => {
        if (!vaultUrl.test(request.url)) return undefined;
        if (request.method === "PATCH") patched = true;
        if (request.method !== "GET" || !patched) return undefined;
        reads += 1;
        return reads <= allowed ? undefined : HttpResponse.json(forbidden.body, { status: forbidden.status });
      }),
    );
  }

  it("restores the rule set of a step whose read-back failed after its write landed", async () => {
    tenant.reset();
    const original = aclsOf();
    const { executors } = executorsFor(tenant);
    const journal = new InMemoryJournal();
    refuseReadsAfterPatch(0);
    const result = await applyPlan(firewallPlan(), fastOptions(journal, executors, noRetry));
    expect(result.status).toBe("failed");
    expect(aclsOf()?.defaultAction).toBe("Deny");
    const landed = await landedOf(journal);
    expect(landed.map((entry) => entry.data?.["answer"])).toEqual(["received"]);

    tenant.server.resetHandlers();
    const rollback = await planRollback(journal);
    expect(rollback.steps).toMatchObject([{ kind: "restore-firewall", parameters: { networkAcls: { defaultAction: original?.defaultAction } } }]);
    expect((await applyPlan(rollback, fastOptions(journal, executors))).status).toBe("completed");
    expect(aclsOf()).toEqual(original);
  });

  it("finds a firewall write whose answer was lost by reading again, journals it as landed, and restores it", async () => {
    tenant.reset();
    const original = aclsOf();
    const { executors } = executorsFor(tenant);
    const journal = new InMemoryJournal();
    loseAnswer("PATCH", vaultUrl);
    // The probe's read passes; the step's own read-back is refused, so the step fails after the write.
    refuseReadsAfterPatch(1);
    const result = await applyPlan(firewallPlan(), fastOptions(journal, executors, noRetry));
    expect(result.status).toBe("failed");
    const landed = await landedOf(journal);
    expect(landed.map((entry) => entry.data?.["answer"])).toEqual(["lost"]);
    expect(landed[0]?.message).toContain("answer was lost");

    tenant.server.resetHandlers();
    const rollback = await planRollback(journal);
    expect(rollback.steps.map((step) => step.kind)).toEqual(["restore-firewall"]);
    expect((await applyPlan(rollback, fastOptions(journal, executors))).status).toBe("completed");
    expect(aclsOf()).toEqual(original);
  });
});
