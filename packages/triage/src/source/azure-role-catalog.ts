import type { RoleAssignmentRef } from "../source-report.js";

interface RoleInfo {
  name: string;
  plane: RoleAssignmentRef["plane"];
  /** Can read secret values (data plane). */
  readsSecrets: boolean;
  /** Can change who has access: vault writes (access policies) or role assignments. */
  changesAccess: boolean;
}

/**
 * Built-in Azure roles that matter for a Key Vault response (GUIDs from Microsoft Learn's built-in roles and the
 * Key Vault RBAC guide). Owner, Contributor and Key Vault Contributor are management roles, but on an
 * access-policy vault they can grant themselves data access by writing an access policy.
 */
const ROLES: Record<string, RoleInfo> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": { name: "Owner", plane: "management", readsSecrets: false, changesAccess: true },
  "b24988ac-6180-42a0-ab88-20f7382dd24c": { name: "Contributor", plane: "management", readsSecrets: false, changesAccess: true },
  "acdd72a7-3385-48ef-bd42-f606fba81ae7": { name: "Reader", plane: "management", readsSecrets: false, changesAccess: false },
  "18d7d88d-d35e-4fb5-a5c3-7773c4a72b9d": { name: "User Access Administrator", plane: "management", readsSecrets: false, changesAccess: true },
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": { name: "Role Based Access Control Administrator", plane: "management", readsSecrets: false, changesAccess: true },
  "f25e0fa2-a7c8-4377-a976-54943a77a395": { name: "Key Vault Contributor", plane: "management", readsSecrets: false, changesAccess: true },
  "8b54135c-b56d-4d72-a534-26097cfdc8d8": { name: "Key Vault Data Access Administrator", plane: "management", readsSecrets: false, changesAccess: true },
  "00482a5a-887f-4fb3-b363-3b7fe8e74483": { name: "Key Vault Administrator", plane: "data", readsSecrets: true, changesAccess: false },
  "a4417e6f-fecd-4de8-b567-7b0420556985": { name: "Key Vault Certificates Officer", plane: "data", readsSecrets: false, changesAccess: false },
  "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba": { name: "Key Vault Certificate User", plane: "data", readsSecrets: false, changesAccess: false },
  "14b46e9e-c2b7-41b4-b07b-48a6ebf60603": { name: "Key Vault Crypto Officer", plane: "data", readsSecrets: false, changesAccess: false },
  "e147488a-f6f5-4113-8e2d-b22465e65bf6": { name: "Key Vault Crypto Service Encryption User", plane: "data", readsSecrets: false, changesAccess: false },
  "08bbd89e-9f13-488c-ac41-acfcb10c90ab": { name: "Key Vault Crypto Service Release User", plane: "data", readsSecrets: false, changesAccess: false },
  "12338af0-0e69-4776-bea7-57ae8d297424": { name: "Key Vault Crypto User", plane: "data", readsSecrets: false, changesAccess: false },
  "21090545-7ca7-4776-b22c-e363652d74d2": { name: "Key Vault Reader", plane: "data", readsSecrets: false, changesAccess: false },
  "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": { name: "Key Vault Secrets Officer", plane: "data", readsSecrets: true, changesAccess: false },
  "4633458b-17de-408a-b874-0445c86b69e6": { name: "Key Vault Secrets User", plane: "data", readsSecrets: true, changesAccess: false },
  "18500a29-7fe2-46b2-a342-b16a415e101d": { name: "Managed HSM Contributor", plane: "management", readsSecrets: false, changesAccess: false },
};

/** The trailing GUID of a role definition id (`/subscriptions/.../roleDefinitions/<guid>` or `/providers/.../<guid>`). */
export function roleDefinitionGuid(roleDefinitionId: string): string {
  const last = roleDefinitionId.split("/").filter((part) => part !== "").pop() ?? roleDefinitionId;
  return last.toLowerCase();
}

/** What is known about a role; custom roles are assumed to reach both planes (conservative for containment). */
export function describeRole(roleDefinitionId: string): RoleInfo | undefined {
  const guid = roleDefinitionGuid(roleDefinitionId);
  return Object.hasOwn(ROLES, guid) ? ROLES[guid] : undefined;
}

export interface RawRoleAssignment {
  id: string;
  name?: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType?: string;
  condition?: string;
}

/** The permissions of a role definition (ARM `permissions[]`), used to classify custom roles. */
export interface RolePermissions {
  name?: string;
  actions: readonly string[];
  notActions?: readonly string[];
  dataActions: readonly string[];
  notDataActions?: readonly string[];
}

/** Classifies a custom role from its permissions (wildcards honoured, `not*` subtracted). */
export function describeCustomRole(permissions: RolePermissions): RoleInfo {
  const grants = (allowed: readonly string[], denied: readonly string[] | undefined, action: string): boolean =>
    allowed.some((pattern) => wildcard(pattern, action)) && !(denied ?? []).some((pattern) => wildcard(pattern, action));
  const readsSecrets = grants(permissions.dataActions, permissions.notDataActions, "Microsoft.KeyVault/vaults/secrets/getSecret/action");
  const changesAccess =
    grants(permissions.actions, permissions.notActions, "Microsoft.KeyVault/vaults/write") ||
    grants(permissions.actions, permissions.notActions, "Microsoft.Authorization/roleAssignments/write");
  const data = permissions.dataActions.length > 0;
  const management = permissions.actions.length > 0;
  return {
    name: permissions.name ?? "custom role",
    plane: data && management ? "both" : data ? "data" : "management",
    readsSecrets,
    changesAccess,
  };
}

function wildcard(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*")}$`, "i");
  return regex.test(action);
}

/**
 * Classifies a role assignment relative to a vault: direct, inherited (scope above) or child (object scope).
 * Built-in roles come from the table; pass `custom` for other roles (unknown ones are assumed to reach everything).
 */
export function toRoleAssignmentRef(raw: RawRoleAssignment, vaultResourceId: string, custom?: RolePermissions): RoleAssignmentRef {
  const scope = trimSlash(raw.scope).toLowerCase();
  const vault = trimSlash(vaultResourceId).toLowerCase();
  const inheritance = scope === vault ? "direct" : scope.startsWith(`${vault}/`) ? "child" : "inherited";
  const info = describeRole(raw.roleDefinitionId) ?? (custom === undefined ? undefined : describeCustomRole(custom));
  const ref: RoleAssignmentRef = {
    id: raw.id,
    name: raw.name ?? raw.id.split("/").pop() ?? raw.id,
    scope: raw.scope,
    roleDefinitionId: raw.roleDefinitionId,
    roleDefinitionGuid: roleDefinitionGuid(raw.roleDefinitionId),
    principalId: raw.principalId,
    inheritance,
    plane: info?.plane ?? "both",
    readsSecrets: info?.readsSecrets ?? true,
    changesAccess: info?.changesAccess ?? true,
  };
  if (info !== undefined) ref.roleName = info.name;
  if (raw.principalType !== undefined) ref.principalType = raw.principalType;
  if (raw.condition !== undefined) ref.condition = raw.condition;
  return ref;
}


function trimSlash(value: string): string {
  return value.endsWith("/") ? value.slice(0, -1) : value;
}
