import { DefenderAlertsClient } from "@keywarden/alerts";
import type { FakeAzure } from "@keywarden/testing";
import { alertStateClientFrom, randomValueRotator, type RemediationPlan } from "../../src/index.js";
import { buildPlan, common, executorsFor, vaultTarget, type Harness } from "./harness.js";
import { ALERT_ID, ALERT_NAME, ATTACKER, RBAC_VAULT, RESPONDER_IP, SUB, TENANT, VAULT, VERSIONS } from "./seed.js";

export interface ActionScenario {
  name: string;
  plan: () => RemediationPlan;
  harness: (tenant: FakeAzure) => Harness;
}

const principal = { objectId: ATTACKER, tenantId: TENANT, type: "user" as const };
const plain = (tenant: FakeAzure) => executorsFor(tenant);

/** One plan per action that talks to Azure, used by the fault matrix and the leak checks. */
export const actionScenarios: ActionScenario[] = [
  {
    name: "enable-firewall",
    harness: plain,
    plan: () =>
      buildPlan([
        {
          kind: "enable-firewall",
          target: { vault: vaultTarget(VAULT) },
          parameters: { defaultAction: "Deny", bypass: "AzureServices", addIpRules: [RESPONDER_IP, "10.1.0.0/16"], addVirtualNetworkRules: [], consolidate: true, cutOffCallers: [] },
          ...common,
        },
      ]),
  },
  {
    name: "remove-access-policy",
    harness: plain,
    plan: () => buildPlan([{ kind: "remove-access-policy", target: { vault: vaultTarget(VAULT), principal }, parameters: { allowVaultPutFallback: true }, ...common }]),
  },
  {
    name: "restrict-permissions",
    harness: plain,
    plan: () =>
      buildPlan([
        { kind: "restrict-permissions", target: { vault: vaultTarget(VAULT), principal }, parameters: { remove: { secrets: ["get"] }, allowVaultPutFallback: true }, ...common },
      ]),
  },
  {
    name: "remove-role-assignments",
    harness: plain,
    plan: () => buildPlan([{ kind: "remove-role-assignments", target: { vault: vaultTarget(RBAC_VAULT), principal }, parameters: { includeInherited: false }, ...common }]),
  },
  {
    name: "revoke-sessions",
    harness: plain,
    plan: () => buildPlan([{ kind: "revoke-sessions", target: { principal }, parameters: {}, ...common, reversible: false }]),
  },
  {
    name: "rotate-secrets",
    harness: (tenant) => executorsFor(tenant, { rotators: [randomValueRotator()] }),
    plan: () =>
      buildPlan([{ kind: "rotate-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "api-token" }] }, parameters: { allowRandomValue: true }, ...common, reversible: false }]),
  },
  {
    name: "rotate-keys",
    harness: plain,
    plan: () => buildPlan([{ kind: "rotate-keys", target: { vault: vaultTarget(VAULT), objects: [{ type: "key", name: "wrap-key" }] }, parameters: {}, ...common, reversible: false }]),
  },
  {
    name: "disable-secrets",
    harness: plain,
    plan: () =>
      buildPlan([
        {
          kind: "disable-secrets",
          target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "db-password", versions: VERSIONS.dbPassword.slice(0, 2) }, { type: "secret", name: "api-token" }] },
          parameters: {},
          ...common,
        },
      ]),
  },
  {
    name: "delete-secrets",
    harness: plain,
    plan: () => buildPlan([{ kind: "delete-secrets", target: { vault: vaultTarget(VAULT), objects: [{ type: "secret", name: "api-token" }] }, parameters: { purge: false }, ...common }]),
  },
  {
    name: "update-alert-state",
    harness: (tenant) =>
      executorsFor(tenant, { alerts: alertStateClientFrom(new DefenderAlertsClient(tenant.credential, { retryOptions: { maxRetries: 0 }, maxThrottleRetries: 0 })) }),
    plan: () =>
      buildPlan([
        { kind: "update-alert-state", target: { alert: { id: ALERT_ID, systemAlertId: ALERT_NAME, subscriptionId: SUB } }, parameters: { state: "InProgress" }, ...common, risk: "safe" },
      ]),
  },
];
