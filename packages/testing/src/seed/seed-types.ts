import type {
  AlertsSuppressionRule,
  DiagnosticSettingsResource,
  PublicIpAddress,
  RoleAssignment,
  RoleDefinition,
  SecurityAlert,
  SecurityContact,
  ServiceTagInformation,
  Vault,
} from "../state/arm-types.js";
import type { CertificatePolicy, JsonWebKeyMaterial, KeyRotationPolicy, VaultDataPlaneSettings } from "../state/data-plane-types.js";
import type {
  GraphApplication,
  GraphGroup,
  GraphManagerLink,
  GraphOwnership,
  GraphRoleAssignment,
  GraphRoleDefinition,
  GraphRoleEligibilityScheduleInstance,
  GraphServicePrincipal,
  GraphUser,
  SentMailMessage,
} from "../state/graph-types.js";
import type { LogColumn, LogRow } from "../state/log-types.js";

/**
 * A point in time in a seed: unix seconds (the data-plane's own unit) or an ISO 8601 string for readability.
 * `exportSeed()` always writes unix seconds.
 */
export type SeedTime = number | string;

/** Data-plane attributes in a seed; everything is optional (`enabled` defaults to true, times to the clock). */
export interface SeedAttributes {
  enabled?: boolean;
  nbf?: SeedTime;
  exp?: SeedTime;
  created?: SeedTime;
  updated?: SeedTime;
}

export interface SeedSecretVersion {
  /** 32 hex characters; generated deterministically when absent. */
  version?: string;
  value: string;
  contentType?: string;
  tags?: Record<string, string>;
  attributes?: SeedAttributes;
  kid?: string;
  managed?: boolean;
}

export interface SeedSecret {
  name: string;
  /** Oldest first; the last entry is the current version. At least one. */
  versions: SeedSecretVersion[];
  /** Clock milliseconds before which the secret still answers 404 (eventual consistency after a recover). */
  visibleAt?: number;
}

export interface SeedKeyVersion {
  version?: string;
  /** Public JWK. When absent, a software `RSA` key with the usual operations is made up. */
  key?: JsonWebKeyMaterial;
  /** The private key (PKCS #8 PEM) matching `key`, for sign; without it, sign on this version answers 501. */
  privateKeyPem?: string;
  tags?: Record<string, string>;
  attributes?: SeedAttributes & { exportable?: boolean; hsmPlatform?: string };
  managed?: boolean;
}

export interface SeedKey {
  name: string;
  versions: SeedKeyVersion[];
  rotationPolicy?: KeyRotationPolicy;
  visibleAt?: number;
}

export interface SeedCertificateVersion {
  version?: string;
  /** Base64 DER; made up when absent. */
  cer?: string;
  /** Base64url thumbprint; derived when absent. */
  x5t?: string;
  tags?: Record<string, string>;
  attributes?: SeedAttributes;
}

export interface SeedCertificate {
  name: string;
  versions: SeedCertificateVersion[];
  policy?: CertificatePolicy;
  /** A create operation in flight (`completesAt` in clock milliseconds). */
  pending?: {
    requestId: string;
    status: string;
    statusDetails?: string;
    cancellationRequested?: boolean;
    completesAt: number;
    csr?: string;
  };
  visibleAt?: number;
}

/** The `Deleted*Bundle` fields added to a soft-deleted object. */
export interface SeedDeletion {
  /** Defaults to the clock. */
  deletedDate?: SeedTime;
  /** Defaults to `deletedDate` plus the vault's `softDeleteRetentionInDays`. */
  scheduledPurgeDate?: SeedTime;
  /** Clock milliseconds before which the deleted object still answers 404 (the delete is in progress). */
  deletedVisibleAt?: number;
}

/** The data plane of one vault. */
export interface SeedVaultData {
  secrets?: SeedSecret[];
  keys?: SeedKey[];
  certificates?: SeedCertificate[];
  deletedSecrets?: Array<SeedSecret & SeedDeletion>;
  deletedKeys?: Array<SeedKey & SeedDeletion>;
  deletedCertificates?: Array<SeedCertificate & SeedDeletion>;
  settings?: Partial<VaultDataPlaneSettings>;
}

export interface SeedSubscription {
  subscriptionId: string;
  displayName?: string;
  state?: string;
}

/**
 * A management group (`/providers/Microsoft.Management/managementGroups/{name}`). Role assignments at its scope apply
 * to every subscription in it and in its child groups. The tenant root group is implied, named after the tenant id.
 */
export interface SeedManagementGroup {
  name: string;
  displayName?: string;
  /** The parent group's name; absent: directly under the tenant root group. */
  parent?: string;
  /** Subscription ids directly in this group (a subscription is in one group at most). */
  subscriptions?: string[];
}

export interface SeedResourceGroup {
  /** `/subscriptions/{s}/resourceGroups/{name}`. */
  id: string;
  name?: string;
  location: string;
}

export interface SeedLogTable {
  columns?: LogColumn[];
  rows: LogRow[];
}

/** A Log Analytics workspace: its ARM resource (with `properties.customerId`) plus its tables. */
export interface SeedWorkspace {
  id: string;
  name?: string;
  location?: string;
  properties: { customerId: string; [key: string]: unknown };
  /** Tables by name (`AZKVAuditLogs`, `AzureDiagnostics`, ...). */
  tables?: Record<string, SeedLogTable>;
}

export interface SeedDirectory {
  users?: GraphUser[];
  servicePrincipals?: GraphServicePrincipal[];
  groups?: GraphGroup[];
  /** App registrations; their owners go in `owners` like a service principal's. */
  applications?: GraphApplication[];
  /** Who manages whom (`GET /users/{id}/manager`). */
  managers?: GraphManagerLink[];
  owners?: GraphOwnership[];
  /** Messages the tenant's mailboxes already sent (`sendMail`), oldest first. */
  sentMail?: SentMailMessage[];
  roleAssignments?: GraphRoleAssignment[];
  roleEligibilityScheduleInstances?: GraphRoleEligibilityScheduleInstance[];
  roleDefinitions?: GraphRoleDefinition[];
}

/** A soft-deleted vault: the vault as it was, when it was deleted, and its data plane. */
export interface SeedDeletedVault {
  vault: Vault;
  /** ISO 8601; defaults to the clock. */
  deletionDate?: string;
  /** ISO 8601; defaults to `deletionDate` plus the vault's retention. */
  scheduledPurgeDate?: string;
  vaultData?: SeedVaultData;
}

/**
 * The JSON seed of a fake tenant (schema: `schema/seed.schema.json`). Resources use Azure's own shapes: vaults are
 * ARM `Vault` resources, alerts are Alerts API 2022-01-01 resources, suppression rules and role assignments are
 * their ARM resources, directory objects are Microsoft Graph objects, log rows are keyed by column name.
 */
export interface FakeAzureSeed {
  $schema?: string;
  /** A description for humans (scenarios use it). */
  description?: string;
  tenantId?: string;
  /** The tenant clock's time when the seed was taken; the clock starts there unless `clock` is passed. */
  time?: string;
  subscriptions?: SeedSubscription[];
  /** Management groups above the subscriptions (none: every subscription is directly under the tenant root group). */
  managementGroups?: SeedManagementGroup[];
  resourceGroups?: SeedResourceGroup[];
  vaults?: Vault[];
  /** Secrets, keys and certificates per vault, keyed by vault name. */
  vaultData?: Record<string, SeedVaultData>;
  /** Soft-deleted vaults (`deletedVaults/{name}`), with the data plane they will have again when recovered. */
  deletedVaults?: SeedDeletedVault[];
  alerts?: SecurityAlert[];
  suppressionRules?: AlertsSuppressionRule[];
  /** Defender for Cloud security contacts (`Microsoft.Security/securityContacts`). */
  securityContacts?: SecurityContact[];
  roleAssignments?: RoleAssignment[];
  /** Extra role definitions; the Key Vault and general built-in roles are always present. */
  roleDefinitions?: RoleDefinition[];
  directory?: SeedDirectory;
  workspaces?: SeedWorkspace[];
  diagnosticSettings?: DiagnosticSettingsResource[];
  /** `ServiceTagsListResult` values; a small built-in set is used when absent. */
  serviceTags?: { changeNumber?: string; cloud?: string; values: ServiceTagInformation[] };
  /** `Microsoft.Network/publicIPAddresses` of the tenant's subscriptions (listed by `PublicIPAddresses_ListAll`). */
  publicIpAddresses?: PublicIpAddress[];
  network?: { defaultCallerIp?: string; callerIpHeader?: string };
}
