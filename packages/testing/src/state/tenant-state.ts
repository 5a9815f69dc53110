import type {
  AlertsSuppressionRule,
  DiagnosticSettingsResource,
  PublicIpAddress,
  RoleAssignment,
  RoleDefinition,
  SecurityAlert,
  SecurityContact,
  ServiceTagInformation,
  Subscription,
  Vault,
} from "./arm-types.js";
import { CaseInsensitiveMap } from "./case-insensitive-map.js";
import {
  DEFAULT_VAULT_DATA_PLANE_SETTINGS,
  type CertificateObject,
  type DeletedObject,
  type KeyObject,
  type SecretObject,
  type VaultDataPlaneSettings,
} from "./data-plane-types.js";
import type {
  GraphApplication,
  GraphGroup,
  GraphRoleAssignment,
  GraphRoleDefinition,
  GraphRoleEligibilityScheduleInstance,
  GraphServicePrincipal,
  GraphUser,
  SentMailMessage,
} from "./graph-types.js";
import type { WorkspaceState } from "./log-types.js";

/** One Key Vault: its ARM resource plus everything its data plane holds. */
export interface VaultState {
  /** The ARM `Vault` resource exactly as GET returns it. */
  resource: Vault;
  /** Live objects keyed by name (case-insensitive, like Key Vault). */
  secrets: CaseInsensitiveMap<SecretObject>;
  keys: CaseInsensitiveMap<KeyObject>;
  certificates: CaseInsensitiveMap<CertificateObject>;
  /** Soft-deleted objects keyed by name. */
  deletedSecrets: CaseInsensitiveMap<DeletedObject<SecretObject>>;
  deletedKeys: CaseInsensitiveMap<DeletedObject<KeyObject>>;
  deletedCertificates: CaseInsensitiveMap<DeletedObject<CertificateObject>>;
  /**
   * Purges in progress, keyed `secret/{name}`, `key/{name}` or `certificate/{name}`: the clock millisecond they
   * complete. The object is already gone from `/deleted*`; its name is refused with 409 until then.
   */
  purging: CaseInsensitiveMap<number>;
  settings: VaultDataPlaneSettings;
}

/** A soft-deleted vault, recoverable (with its data plane) until `scheduledPurgeDate`. */
export interface DeletedVaultState {
  vault: VaultState;
  /** ISO 8601. */
  deletionDate: string;
  /** ISO 8601. */
  scheduledPurgeDate: string;
}

/** The Entra ID directory. */
export interface DirectoryState {
  users: CaseInsensitiveMap<GraphUser>;
  servicePrincipals: CaseInsensitiveMap<GraphServicePrincipal>;
  groups: CaseInsensitiveMap<GraphGroup>;
  /** App registrations keyed by application object id. */
  applications: CaseInsensitiveMap<GraphApplication>;
  /** Manager's user id per user id (Graph `manager`). */
  managers: CaseInsensitiveMap<string>;
  /** Owner ids per owned object id (Graph `owners`: service principals and applications). */
  owners: CaseInsensitiveMap<string[]>;
  /** Active directory role assignments (`unifiedRoleAssignment`) keyed by id. */
  roleAssignments: CaseInsensitiveMap<GraphRoleAssignment>;
  /** PIM-eligible roles (`unifiedRoleEligibilityScheduleInstance`) keyed by id. */
  roleEligibilityScheduleInstances: CaseInsensitiveMap<GraphRoleEligibilityScheduleInstance>;
  /** Directory role definitions keyed by id (= templateId for built-in roles). */
  roleDefinitions: CaseInsensitiveMap<GraphRoleDefinition>;
  /** Messages accepted by `sendMail`, in order (what a test asserts on: who was told what). */
  sentMail: SentMailMessage[];
}

/** How the fake decides the caller's IP address (Key Vault firewall, logs). */
export interface NetworkSettings {
  /** The IP every request comes from unless a request names another. Default `203.0.113.10`. */
  defaultCallerIp: string;
  /** Request header that overrides the caller IP per request (lower-case). Default `x-fake-caller-ip`. */
  callerIpHeader: string;
}

/** Service tag list (`ServiceTagsListResult` without the per-request id). */
export interface ServiceTagsState {
  changeNumber: string;
  cloud: string;
  values: ServiceTagInformation[];
}

/** A management group: where it sits and the subscriptions directly in it. */
export interface ManagementGroupState {
  name: string;
  displayName: string;
  /** The parent group's name; absent: under the tenant root group. */
  parent?: string;
  /** Subscription ids directly in this group. */
  subscriptions: string[];
}

/**
 * Everything the fake tenant knows. Tests may read and mutate it directly between requests; every handler reads
 * it fresh on each request. Resource-id keyed maps are case-insensitive because ARM ids are.
 */
export interface TenantState {
  tenantId: string;
  /** Subscriptions keyed by subscription id. */
  subscriptions: CaseInsensitiveMap<Subscription>;
  /**
   * Management groups keyed by name (the last segment of `/providers/Microsoft.Management/managementGroups/{name}`).
   * The tenant root group (named after the tenant id) is implied: a group without `parent` and a subscription no
   * group lists sit directly under it.
   */
  managementGroups: CaseInsensitiveMap<ManagementGroupState>;
  /** Resource groups as `/subscriptions/{s}/resourceGroups/{rg}` ids (lookups case-insensitive). */
  resourceGroups: CaseInsensitiveMap<{ id: string; name: string; location: string }>;
  /** Vaults keyed by ARM resource id. */
  vaults: CaseInsensitiveMap<VaultState>;
  /** Soft-deleted vaults keyed by vault name (names stay reserved until purged). */
  deletedVaults: CaseInsensitiveMap<DeletedVaultState>;
  /** Defender for Cloud alerts keyed by ARM id (`.../locations/{loc}/alerts/{name}`). */
  alerts: CaseInsensitiveMap<SecurityAlert>;
  /** Defender for Cloud security contacts keyed by ARM id (`/subscriptions/{s}/providers/Microsoft.Security/securityContacts/{name}`). */
  securityContacts: CaseInsensitiveMap<SecurityContact>;
  /** Suppression rules keyed by ARM id. */
  suppressionRules: CaseInsensitiveMap<AlertsSuppressionRule>;
  /** Azure RBAC role assignments keyed by ARM id (`{scope}/providers/Microsoft.Authorization/roleAssignments/{name}`). */
  roleAssignments: CaseInsensitiveMap<RoleAssignment>;
  /** Azure RBAC role definitions keyed by role definition GUID (`name`). */
  roleDefinitions: CaseInsensitiveMap<RoleDefinition>;
  directory: DirectoryState;
  /** Log Analytics workspaces keyed by `customerId` (the query API's workspace id). */
  workspaces: CaseInsensitiveMap<WorkspaceState>;
  /** Diagnostic settings keyed by ARM id (`{resourceId}/providers/microsoft.insights/diagnosticSettings/{name}`). */
  diagnosticSettings: CaseInsensitiveMap<DiagnosticSettingsResource>;
  serviceTags: ServiceTagsState;
  /** Public IP addresses (`Microsoft.Network/publicIPAddresses`) keyed by ARM id. */
  publicIpAddresses: CaseInsensitiveMap<PublicIpAddress>;
  network: NetworkSettings;
  /** The data-plane settings a vault starts with (the profile's), before its seed's `settings`. */
  vaultDefaults: VaultDataPlaneSettings;
}

export const DEFAULT_TENANT_ID = "72f988bf-0000-4000-8000-00000000c0de";
export const DEFAULT_CALLER_IP = "203.0.113.10";
export const DEFAULT_CALLER_IP_HEADER = "x-fake-caller-ip";

export function createDirectoryState(): DirectoryState {
  return {
    users: new CaseInsensitiveMap(),
    servicePrincipals: new CaseInsensitiveMap(),
    groups: new CaseInsensitiveMap(),
    applications: new CaseInsensitiveMap(),
    managers: new CaseInsensitiveMap(),
    owners: new CaseInsensitiveMap(),
    roleAssignments: new CaseInsensitiveMap(),
    roleEligibilityScheduleInstances: new CaseInsensitiveMap(),
    roleDefinitions: new CaseInsensitiveMap(),
    sentMail: [],
  };
}

export function createEmptyTenantState(tenantId: string = DEFAULT_TENANT_ID): TenantState {
  return {
    tenantId,
    subscriptions: new CaseInsensitiveMap(),
    managementGroups: new CaseInsensitiveMap(),
    resourceGroups: new CaseInsensitiveMap(),
    vaults: new CaseInsensitiveMap(),
    deletedVaults: new CaseInsensitiveMap(),
    alerts: new CaseInsensitiveMap(),
    securityContacts: new CaseInsensitiveMap(),
    suppressionRules: new CaseInsensitiveMap(),
    roleAssignments: new CaseInsensitiveMap(),
    roleDefinitions: new CaseInsensitiveMap(),
    directory: createDirectoryState(),
    workspaces: new CaseInsensitiveMap(),
    diagnosticSettings: new CaseInsensitiveMap(),
    serviceTags: { changeNumber: "1", cloud: "Public", values: [] },
    publicIpAddresses: new CaseInsensitiveMap(),
    network: { defaultCallerIp: DEFAULT_CALLER_IP, callerIpHeader: DEFAULT_CALLER_IP_HEADER },
    vaultDefaults: { ...DEFAULT_VAULT_DATA_PLANE_SETTINGS },
  };
}
