import type { FakeTokenClaims } from "../auth/fake-token.js";
import { scopeAppliesTo } from "../arm/management-groups.js";
import type { RoleAssignment } from "../state/arm-types.js";
import type { TenantState, VaultState } from "../state/tenant-state.js";
import type { KeyVaultErrorSpec } from "./key-vault-response.js";
import { OBJECT_KIND_WORDS, type ObjectKind } from "./object-kind.js";

/**
 * Data-plane authorisation, for vaults whose `settings.enforceDataAccess` is on. A vault in access-policy mode
 * (`enableRbacAuthorization` false or null) grants an operation when an access policy entry for the caller's tenant
 * and object id (and application id, for a compound identity) lists the permission the 7.5 spec names for it, or
 * `all`; permission names compare case-insensitively, as the service does. A vault in RBAC mode grants it when a role
 * assignment of the caller at the vault, a scope above it, or the object itself carries a role whose `dataActions`
 * cover the operation's data action (and whose `notDataActions` do not). Group membership and deny assignments are
 * not modelled.
 */
export interface DataAccessRequirement {
  readonly kind: ObjectKind;
  /** Access-policy permission, e.g. `get` (spec: "This operation requires the secrets/get permission"). */
  readonly permission: string;
  /** RBAC data action, e.g. `Microsoft.KeyVault/vaults/secrets/getSecret/action`. */
  readonly dataAction: string;
  /** The object the operation addresses (object-scoped role assignments apply to it); absent for lists. */
  readonly objectName?: string | undefined;
}

const equalsIgnoreCase = (a: string | undefined | null, b: string | undefined | null): boolean =>
  a !== undefined && a !== null && b !== undefined && b !== null && a.toLowerCase() === b.toLowerCase();

function callerOf(claims: FakeTokenClaims): string {
  return `appid=${claims.appid};oid=${claims.oid};iss=https://sts.windows.net/${claims.tid}/`;
}

function accessPolicyDecision(vault: VaultState, claims: FakeTokenClaims, need: DataAccessRequirement): KeyVaultErrorSpec | undefined {
  const group = OBJECT_KIND_WORDS[need.kind].collection as "secrets" | "keys" | "certificates";
  const granted = (vault.resource.properties.accessPolicies ?? []).some(
    (entry) =>
      equalsIgnoreCase(entry.tenantId, claims.tid) &&
      equalsIgnoreCase(entry.objectId, claims.oid) &&
      (entry.applicationId === undefined || entry.applicationId === null || equalsIgnoreCase(entry.applicationId, claims.appid)) &&
      (entry.permissions[group] ?? []).some(
        (permission) => equalsIgnoreCase(permission, need.permission) || equalsIgnoreCase(permission, "all")
      )
  );
  if (granted) return undefined;
  return {
    status: 403,
    code: "Forbidden",
    message: `The user, group or application '${callerOf(claims)}' does not have ${group} ${need.permission} permission on key vault '${
      vault.resource.name
    };location=${vault.resource.location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
    innerCode: "ForbiddenByPolicy",
  };
}

/** `scope` of an assignment: its property, or the part of its id before `/providers/Microsoft.Authorization/`. */
function scopeOf(assignment: RoleAssignment): string {
  if (assignment.properties.scope !== undefined) return assignment.properties.scope;
  const index = assignment.id.toLowerCase().indexOf("/providers/microsoft.authorization/roleassignments/");
  return index <= 0 ? "/" : assignment.id.slice(0, index);
}


/** Azure action patterns: `*` stands for any run of characters; comparison ignores case. */
export function actionMatches(pattern: string, action: string): boolean {
  const escaped = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/gu, "\\$&"))
    .join(".*");
  return new RegExp(`^${escaped}$`, "iu").test(action);
}

function rbacDecision(
  state: TenantState,
  vault: VaultState,
  claims: FakeTokenClaims,
  need: DataAccessRequirement
): KeyVaultErrorSpec | undefined {
  const resource =
    need.objectName === undefined
      ? vault.resource.id
      : `${vault.resource.id}/${OBJECT_KIND_WORDS[need.kind].collection}/${need.objectName}`;
  for (const assignment of state.roleAssignments.values()) {
    if (!equalsIgnoreCase(assignment.properties.principalId, claims.oid) || !scopeAppliesTo(state, scopeOf(assignment), resource)) continue;
    const guid = assignment.properties.roleDefinitionId.split("/").at(-1) ?? "";
    const definition = state.roleDefinitions.get(guid);
    const allowed = (definition?.properties.permissions ?? []).some(
      (permission) =>
        (permission.dataActions ?? []).some((pattern) => actionMatches(pattern, need.dataAction)) &&
        !(permission.notDataActions ?? []).some((pattern) => actionMatches(pattern, need.dataAction))
    );
    if (allowed) return undefined;
  }
  return {
    status: 403,
    code: "Forbidden",
    message: `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: ${callerOf(
      claims
    )}\r\nAction: '${
      need.dataAction
    }'\r\nResource: '${resource.toLowerCase()}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${
      vault.resource.name
    };location=${vault.resource.location}\r\n`,
    innerCode: "ForbiddenByRbac",
  };
}

/** The 403 the vault answers, or `undefined` when the caller may run the operation. */
export function checkDataAccess(
  state: TenantState,
  vault: VaultState,
  claims: FakeTokenClaims,
  need: DataAccessRequirement
): KeyVaultErrorSpec | undefined {
  if (vault.settings.enforceDataAccess !== true) return undefined;
  return vault.resource.properties.enableRbacAuthorization === true
    ? rbacDecision(state, vault, claims, need)
    : accessPolicyDecision(vault, claims, need);
}
