/**
 * ARM resource shapes the fake stores and serves, written from the official OpenAPI specs (see
 * the Azure REST API specs). They are deliberately open (`[key: string]: unknown` where Azure adds fields over
 * time) so a seed can carry any field Azure returns, and the fake hands it back unchanged.
 */

/**
 * `Microsoft.KeyVault/vaults` access policy entry as ARM sends it (KeyVault 2023-07-01..2026-02-01
 * `AccessPolicyEntry`: open permission strings, as a seed may hold any). Prefixed `Arm` so it never shares a name
 * with core's `AccessPolicyEntry`, Keywarden's own model of a stored entry.
 */
export interface ArmAccessPolicyEntry {
  tenantId: string;
  objectId: string;
  applicationId?: string;
  permissions: {
    keys?: string[];
    secrets?: string[];
    certificates?: string[];
    storage?: string[];
  };
}

export interface IpRule {
  value: string;
}

export interface VirtualNetworkRule {
  id: string;
  ignoreMissingVnetServiceEndpoint?: boolean;
}

/** `NetworkRuleSet`. */
export interface NetworkRuleSet {
  bypass?: "AzureServices" | "None" | (string & {});
  defaultAction?: "Allow" | "Deny" | (string & {});
  ipRules?: IpRule[];
  virtualNetworkRules?: VirtualNetworkRule[];
}

export interface VaultSku {
  family: "A" | (string & {});
  name: "standard" | "premium" | (string & {});
}

/** `VaultProperties`. */
export interface VaultProperties {
  tenantId: string;
  sku: VaultSku;
  accessPolicies?: ArmAccessPolicyEntry[];
  vaultUri?: string;
  hsmPoolResourceId?: string;
  enabledForDeployment?: boolean;
  enabledForDiskEncryption?: boolean;
  enabledForTemplateDeployment?: boolean;
  enableSoftDelete?: boolean;
  softDeleteRetentionInDays?: number;
  /** `null` is a real stored value for vaults created with old API versions (access-policy mode). */
  enableRbacAuthorization?: boolean | null;
  createMode?: "recover" | "default" | (string & {});
  enablePurgeProtection?: boolean;
  networkAcls?: NetworkRuleSet;
  provisioningState?: "Succeeded" | "RegisteringDns" | (string & {});
  privateEndpointConnections?: unknown[];
  publicNetworkAccess?: string;
  [key: string]: unknown;
}

export interface SystemData {
  createdBy?: string;
  createdByType?: string;
  createdAt?: string;
  lastModifiedBy?: string;
  lastModifiedByType?: string;
  lastModifiedAt?: string;
}

/** `Microsoft.KeyVault/vaults` resource (`Vault`). Azure gives it no etag. */
export interface Vault {
  id: string;
  name: string;
  type: "Microsoft.KeyVault/vaults" | (string & {});
  location: string;
  tags?: Record<string, string>;
  systemData?: SystemData;
  properties: VaultProperties;
}

/** `ResourceIdentifier` of an alert (discriminated by `type`). */
export interface AlertResourceIdentifier {
  type: "AzureResource" | "LogAnalytics" | (string & {});
  azureResourceId?: string;
  workspaceId?: string;
  workspaceSubscriptionId?: string;
  workspaceResourceGroup?: string;
  agentId?: string;
  [key: string]: unknown;
}

/** `AlertProperties` (Microsoft.Security alerts 2022-01-01). */
export interface AlertProperties {
  version?: string;
  alertType?: string;
  systemAlertId?: string;
  productComponentName?: string;
  alertDisplayName?: string;
  description?: string;
  severity?: "Informational" | "Low" | "Medium" | "High" | (string & {});
  intent?: string;
  startTimeUtc?: string;
  endTimeUtc?: string;
  resourceIdentifiers?: AlertResourceIdentifier[];
  remediationSteps?: string[];
  vendorName?: string;
  status?: "Active" | "InProgress" | "Resolved" | "Dismissed" | (string & {});
  extendedLinks?: Record<string, string>[];
  alertUri?: string;
  timeGeneratedUtc?: string;
  productName?: string;
  processingEndTimeUtc?: string;
  entities?: Record<string, unknown>[];
  isIncident?: boolean;
  correlationKey?: string;
  extendedProperties?: Record<string, string>;
  compromisedEntity?: string;
  techniques?: string[];
  subTechniques?: string[];
  supportingEvidence?: Record<string, unknown>;
  [key: string]: unknown;
}

/** `Microsoft.Security/locations/alerts` resource. The id encodes the scope and `locations/{ascLocation}`. */
export interface SecurityAlert {
  id: string;
  name: string;
  type: "Microsoft.Security/Locations/alerts" | (string & {});
  properties: AlertProperties;
}

/** `ScopeElement` of a suppression rule: a `field` plus `in` (array) or `contains` (string). */
export interface SuppressionScopeElement {
  field: string;
  [key: string]: unknown;
}

/** `AlertsSuppressionRuleProperties` (2019-01-01-preview). */
export interface AlertsSuppressionRuleProperties {
  alertType: string;
  lastModifiedUtc?: string;
  expirationDateUtc?: string;
  reason: string;
  state: "Enabled" | "Disabled" | "Expired";
  comment?: string;
  suppressionAlertsScope?: { allOf: SuppressionScopeElement[] };
}

/** `Microsoft.Security/alertsSuppressionRules` resource (subscription scope). */
export interface AlertsSuppressionRule {
  id: string;
  name: string;
  type: "Microsoft.Security/alertsSuppressionRules" | (string & {});
  properties: AlertsSuppressionRuleProperties;
}

/** `SecurityContactProperties` (Microsoft.Security 2023-12-01-preview). */
export interface SecurityContactProperties {
  /** Semicolon-separated e-mail addresses, as the service stores them (`john@contoso.com;jane@contoso.com`). */
  emails?: string;
  phone?: string;
  isEnabled?: boolean;
  notificationsByRole?: { state?: "On" | "Off" | (string & {}); roles?: string[] };
  notificationsSources?: Array<{ sourceType: "Alert" | "AttackPath" | (string & {}); minimalSeverity?: string; minimalRiskLevel?: string }>;
}

/** `Microsoft.Security/securityContacts` resource (subscription scope; the portal's one is named `default`). */
export interface SecurityContact {
  id: string;
  name: string;
  type: "Microsoft.Security/securityContacts" | (string & {});
  properties: SecurityContactProperties;
}

/** `RoleAssignmentProperties` (Authorization 2022-04-01). */
export interface RoleAssignmentProperties {
  scope?: string;
  roleDefinitionId: string;
  principalId: string;
  principalType?: "User" | "Group" | "ServicePrincipal" | "ForeignGroup" | "Device" | (string & {});
  description?: string | null;
  condition?: string | null;
  conditionVersion?: string | null;
  createdOn?: string;
  updatedOn?: string;
  createdBy?: string | null;
  updatedBy?: string | null;
  delegatedManagedIdentityResourceId?: string | null;
}

/** `Microsoft.Authorization/roleAssignments` resource. */
export interface RoleAssignment {
  id: string;
  name: string;
  type: "Microsoft.Authorization/roleAssignments" | (string & {});
  properties: RoleAssignmentProperties;
}

export interface RolePermission {
  actions?: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

/** `Microsoft.Authorization/roleDefinitions` resource. */
export interface RoleDefinition {
  id: string;
  name: string;
  type: "Microsoft.Authorization/roleDefinitions" | (string & {});
  properties: {
    roleName: string;
    description?: string;
    type?: "BuiltInRole" | "CustomRole" | (string & {});
    permissions?: RolePermission[];
    assignableScopes?: string[];
    [key: string]: unknown;
  };
}

/** `Microsoft.Insights/diagnosticSettings` resource (a child of the resource it configures). */
export interface DiagnosticSettingsResource {
  id: string;
  name: string;
  type?: "Microsoft.Insights/diagnosticSettings" | (string & {});
  properties: {
    storageAccountId?: string | null;
    serviceBusRuleId?: string | null;
    eventHubAuthorizationRuleId?: string | null;
    eventHubName?: string | null;
    workspaceId?: string | null;
    logAnalyticsDestinationType?: string | null;
    marketplacePartnerId?: string | null;
    metrics?: Array<{ category?: string; timeGrain?: string; enabled: boolean; [key: string]: unknown }>;
    logs?: Array<{ category?: string | null; categoryGroup?: string | null; enabled: boolean; [key: string]: unknown }>;
    [key: string]: unknown;
  };
}

/** `ServiceTagInformation` (Network 2023-11-01). */
export interface ServiceTagInformation {
  name: string;
  id: string;
  serviceTagChangeNumber?: string;
  properties: {
    changeNumber?: string;
    region?: string;
    systemService?: string;
    addressPrefixes: string[];
    state?: string;
  };
}

/** `Microsoft.OperationalInsights/workspaces` resource; `properties.customerId` is the query API's workspace id. */
export interface LogAnalyticsWorkspaceResource {
  id: string;
  name: string;
  type?: "Microsoft.OperationalInsights/workspaces" | (string & {});
  location?: string;
  properties: { customerId: string; [key: string]: unknown };
}

/** A subscription as ARM lists it. */
export interface Subscription {
  id: string;
  subscriptionId: string;
  displayName: string;
  state?: "Enabled" | "Disabled" | "Warned" | "PastDue" | "Deleted" | (string & {});
  tenantId?: string;
}

/**
 * `Microsoft.Network/publicIPAddresses` resource (`PublicIPAddress`, api-version 2023-11-01), the fields a reader of
 * the tenant's own addresses needs. `properties.ipAddress` is absent for a dynamic address not yet allocated.
 */
export interface PublicIpAddress {
  id: string;
  name: string;
  type: "Microsoft.Network/publicIPAddresses" | (string & {});
  location: string;
  etag?: string;
  tags?: Record<string, string>;
  zones?: string[];
  sku?: { name: "Basic" | "Standard" | (string & {}); tier?: "Regional" | "Global" | (string & {}) };
  properties: {
    provisioningState?: "Succeeded" | "Updating" | "Deleting" | "Failed" | (string & {});
    resourceGuid?: string;
    ipAddress?: string;
    publicIPAddressVersion?: "IPv4" | "IPv6";
    publicIPAllocationMethod?: "Static" | "Dynamic";
    idleTimeoutInMinutes?: number;
    ipTags?: { ipTagType?: string; tag?: string }[];
    ipConfiguration?: { id: string };
    publicIPPrefix?: { id: string };
    dnsSettings?: { domainNameLabel?: string; fqdn?: string };
    [key: string]: unknown;
  };
}
