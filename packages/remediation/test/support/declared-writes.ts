import type { FakeAzure } from "@keywarden/testing";
import type { RemediationPlan } from "../../src/index.js";

/** A request that changed (or tried to change) something: lower-case method, host and path (no query, no trailing slash). */
export interface RecordedWrite {
  method: string;
  host: string;
  path: string;
}

export type WriteRule = (write: RecordedWrite) => boolean;

const ARM = "management.azure.com";
const GRAPH = "graph.microsoft.com";

const escape = (text: string) => text.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function rule(method: string, host: string, path: string): WriteRule {
  const pattern = new RegExp(`^${path}$`);
  return (write) => write.method === method && write.host === host && pattern.test(write.path);
}

const ALERT_ACTIONS = { Active: "activate", InProgress: "inprogress", Resolved: "resolve", Dismissed: "dismiss" } as const;

/**
 * The writes a plan declares, derived from its steps alone (deliberately not from the executors' code): each step
 * kind's documented requests, limited to the targets the step names. Rollback kinds included, so a rollback plan is
 * checked the same way.
 */
export function declaredWrites(plan: RemediationPlan): WriteRule[] {
  const rules: WriteRule[] = [];
  for (const step of plan.steps) {
    const vault = step.target.vault;
    const vaultId = vault === undefined ? "(?!)" : escape(vault.resourceId);
    const dataHost = vault === undefined ? "(?!)" : new URL(vault.vaultUri).host.toLowerCase();
    const objects = step.target.objects ?? [];
    switch (step.kind) {
      case "enable-firewall":
      case "restore-firewall":
        rules.push(rule("patch", ARM, vaultId), rule("put", ARM, vaultId));
        break;
      case "remove-access-policy":
      case "restrict-permissions":
        rules.push(rule("put", ARM, `${vaultId}/accesspolicies/(remove|replace|add)`));
        if (step.parameters.allowVaultPutFallback) rules.push(rule("put", ARM, vaultId));
        break;
      case "restore-access-policy":
        rules.push(rule("put", ARM, `${vaultId}/accesspolicies/add`));
        break;
      case "remove-role-assignments":
        for (const assignment of step.parameters.assignments ?? []) rules.push(rule("delete", ARM, escape(assignment.id)));
        break;
      case "restore-role-assignments":
        for (const assignment of step.parameters.assignments) {
          rules.push(rule("put", ARM, escape(`${assignment.scope.replace(/\/+$/, "")}/providers/Microsoft.Authorization/roleAssignments/${assignment.name}`)));
        }
        break;
      case "revoke-sessions":
        rules.push(rule("post", GRAPH, `/v1\\.0/users/${escape(step.target.principal?.objectId ?? "-")}/revokesigninsessions`));
        break;
      case "rotate-secrets":
        for (const object of objects) {
          if (object.type === "certificate") rules.push(rule("post", dataHost, `/certificates/${escape(object.name)}/create`));
          else rules.push(rule("put", dataHost, `/secrets/${escape(object.name)}`));
        }
        break;
      case "rotate-keys":
        for (const object of objects) rules.push(rule("post", dataHost, `/keys/${escape(object.name)}/rotate`), rule("patch", dataHost, `/keys/${escape(object.name)}/[0-9a-f]+`));
        break;
      case "disable-secrets":
      case "enable-versions":
        for (const object of objects) {
          const versions = object.versions === undefined || object.versions.length === 0 ? "[0-9a-f]+" : `(${object.versions.map(escape).join("|")})`;
          rules.push(rule("patch", dataHost, `/${object.type}s/${escape(object.name)}/${versions}`));
        }
        break;
      case "delete-secrets":
        for (const object of objects) {
          rules.push(rule("delete", dataHost, `/${object.type}s/${escape(object.name)}`));
          if (step.parameters.purge) rules.push(rule("delete", dataHost, `/deleted${object.type}s/${escape(object.name)}`));
        }
        break;
      case "recover-deleted":
        for (const object of objects) rules.push(rule("post", dataHost, `/deleted${object.type}s/${escape(object.name)}/recover`));
        break;
      case "update-alert-state": {
        const alert = step.target.alert;
        if (alert?.subscriptionId !== undefined && alert.systemAlertId !== undefined) {
          rules.push(
            rule(
              "post",
              ARM,
              `/subscriptions/${escape(alert.subscriptionId)}/resourcegroups/[^/]+/providers/microsoft\\.security/locations/[^/]+/alerts/${escape(alert.systemAlertId)}/${ALERT_ACTIONS[step.parameters.state]}`,
            ),
          );
        }
        break;
      }
      case "contact-owner":
      case "escalate-to-admin":
        // Tasks go to a notifier, not to Azure: they declare no write.
        break;
    }
  }
  return rules;
}

/**
 * Every request the tenant recorded that was not a read, from `from` on: the fake's call log (challenge legs
 * excluded: a 401 changed nothing).
 */
export function recordedWrites(tenant: FakeAzure, from = 0): RecordedWrite[] {
  return tenant.calls
    .all()
    .slice(from)
    .filter((call) => !["GET", "HEAD"].includes(call.method.toUpperCase()) && call.status !== 401)
    .map((call) => {
      const url = new URL(call.url);
      return { method: call.method.toLowerCase(), host: url.host.toLowerCase(), path: decodeURIComponent(url.pathname).toLowerCase().replace(/\/$/, "") };
    });
}

/** The recorded writes no rule of the plan allows. */
export function undeclaredWrites(plan: RemediationPlan, writes: readonly RecordedWrite[]): RecordedWrite[] {
  const declared = declaredWrites(plan);
  return writes.filter((write) => !declared.some((allowed) => allowed(write)));
}
