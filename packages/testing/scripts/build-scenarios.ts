/**
 * Writes `scenarios/*.json`: ready-made tenants for Keywarden's incident types. Run with
 * `node --import tsx scripts/build-scenarios.ts` after changing a scenario; the JSON files are what ships and what
 * `getScenario(name)` returns.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FakeAzureSeed, SeedSecret } from "../src/index.js";
import { at, fakeSecretValue, guid, hex32, keyVaultAlert, vault, vaultUri, workspaceFor, type Caller, type LogEvent, type VaultRef } from "./scenario-kit.js";

const TENANT_ID = "4d3c2b1a-7e6f-4a5b-9c8d-0e1f2a3b4c5d";
const SUBSCRIPTION_ID = "6a0f4c5e-2b1d-4e3f-8a9b-7c6d5e4f3a2b";
const MICROSOFT_TENANT = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
const TIME = "2026-01-15T12:00:00.000Z";
const SDK = "azsdk-js-keyvault-secrets/4.11.2 core-rest-pipeline/1.24.0 Node/20.20.0 OS/(x64-Linux)";
const BROWSER = "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0";

function secret(scenario: string, name: string, versions = 1, options: { contentType?: string; enabled?: boolean[] } = {}): SeedSecret {
  return {
    name,
    versions: Array.from({ length: versions }, (_, i) => ({
      version: hex32(`${scenario}/${name}/${i}`),
      value: fakeSecretValue(scenario, name, i + 1),
      ...(options.contentType ? { contentType: options.contentType } : {}),
      attributes: { enabled: options.enabled?.[i] ?? true, created: at("2025-06-01T08:00:00Z", i * 60 * 24 * 30), updated: at("2025-06-01T08:00:00Z", i * 60 * 24 * 30) },
    })),
  };
}

function secretPath(scenario: string, name: string, versionIndex = 0): string {
  return `secrets/${name}/${hex32(`${scenario}/${name}/${versionIndex}`)}`;
}

function common(v: VaultRef, extra: { displayName: string }): FakeAzureSeed {
  return {
    tenantId: TENANT_ID,
    time: TIME,
    subscriptions: [{ subscriptionId: SUBSCRIPTION_ID, displayName: extra.displayName }],
    resourceGroups: [{ id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${v.resourceGroup}`, location: v.location }],
  };
}

const microsoftApps = [
  { id: guid("sp/arg"), appId: "509e4652-da8d-478d-a730-e9d4a1996ca4", displayName: "Azure Resource Graph", appOwnerOrganizationId: MICROSOFT_TENANT, servicePrincipalType: "Application", accountEnabled: true },
  { id: guid("sp/policy"), appId: "8cae6e77-e04e-42ce-b5cb-50d82bce26b1", displayName: "Policy Insights", appOwnerOrganizationId: MICROSOFT_TENANT, servicePrincipalType: "Application", accountEnabled: true },
];

/** 1. A user's credentials used from a TOR exit node to read secrets (KV_TORAccess). */
function torSecretReads(): FakeAzureSeed {
  const s = "tor-secret-reads";
  const v: VaultRef = { subscriptionId: SUBSCRIPTION_ID, resourceGroup: "rg-payments", name: "kv-payments-prod", location: "westeurope", tenantId: TENANT_ID };
  const user = { id: guid(`${s}/user`), displayName: "Ravi Patel", userPrincipalName: "ravi.patel@contoso.example", mail: "ravi.patel@contoso.example", accountEnabled: true, userType: "Member" };
  const appSp = { id: guid(`${s}/payments-api`), appId: guid(`${s}/payments-api-app`), displayName: "payments-api", appOwnerOrganizationId: TENANT_ID, servicePrincipalType: "Application", accountEnabled: true };
  const tor: Caller = { ip: "185.100.85.132", objectId: user.id, upn: user.userPrincipalName, appId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", type: "user", clientInfo: BROWSER };
  const app: Caller = { ip: "20.50.20.14", objectId: appSp.id, appId: appSp.appId, type: "app", clientInfo: SDK };
  const start = "2026-01-15T09:12:00Z";
  const events: LogEvent[] = [
    { time: at(start, -120), operation: "SecretGet", caller: app, object: secretPath(s, "db-connection-string"), status: 200 },
    { time: at(start, -60), operation: "SecretGet", caller: app, object: secretPath(s, "db-connection-string"), status: 200 },
    { time: at(start, 0), operation: "Authentication", caller: { ip: tor.ip, clientInfo: BROWSER }, status: 401 },
    { time: at(start, 0.1), operation: "VaultGet", caller: tor, status: 200 },
    { time: at(start, 0.5), operation: "SecretList", caller: tor, object: undefined, status: 200 },
    { time: at(start, 1), operation: "SecretGet", caller: tor, object: secretPath(s, "stripe-api-key", 1), status: 200 },
    { time: at(start, 1.5), operation: "SecretGet", caller: tor, object: secretPath(s, "db-connection-string"), status: 200 },
    { time: at(start, 2), operation: "SecretGet", caller: tor, object: secretPath(s, "jwt-signing-key"), status: 200 },
    { time: at(start, 2.5), operation: "SecretGet", caller: tor, object: secretPath(s, "stripe-api-key", 1), status: 200 },
    { time: at(start, 3), operation: "KeyGet", caller: tor, object: `keys/payments-signing/${hex32(`${s}/key`)}`, status: 403, signature: "Forbidden", isAccessPolicyMatch: false },
    { time: at(start, 30), operation: "SecretGet", caller: app, object: secretPath(s, "db-connection-string"), status: 200 },
  ];
  return {
    description: "A user's credentials used from a TOR exit node: vault read, secret listing and three secrets read (KV_TORAccess). Access-policy vault, logs in AZKVAuditLogs.",
    ...common(v, { displayName: "Payments Production" }),
    vaults: [
      vault(v, {
        rbac: false,
        tags: { owner: "payments-team@contoso.example", env: "prod" },
        accessPolicies: [
          { tenantId: TENANT_ID, objectId: user.id, permissions: { secrets: ["Get", "List"], keys: ["Get", "List"] } },
          { tenantId: TENANT_ID, objectId: appSp.id, permissions: { secrets: ["get"] } },
        ],
      }),
    ],
    vaultData: {
      [v.name]: {
        secrets: [secret(s, "stripe-api-key", 2), secret(s, "db-connection-string"), secret(s, "jwt-signing-key"), secret(s, "unused-legacy-token")],
        keys: [{ name: "payments-signing", versions: [{ version: hex32(`${s}/key`), attributes: { created: "2025-06-01T08:00:00Z" } }] }],
      },
    },
    alerts: [
      keyVaultAlert(v, {
        name: "2517185428349999999_5e1b1a9c-0c6f-4f7e-9a43-2d7d3c1f7a10",
        alertType: "KV_TORAccess",
        displayName: "Access from a TOR exit node to a key vault",
        description: "The key vault has been accessed by someone using the TOR IP anonymization system to hide their location. Malicious actors often try to hide their location when attempting to gain unauthorized access to internet-connected resources.",
        severity: "Medium",
        intent: "CredentialAccess",
        start: at(start, 0),
        end: at(start, 3),
        caller: tor,
        ipLocation: { countryCode: "DE", countryName: "Germany", city: "Frankfurt am Main" },
        operations24h: "[SecretGet:7, VaultGet:1, SecretList:1, KeyGet:1, Authentication:1]",
        suspiciousOperations: "[SecretGet:4, VaultGet:1, SecretList:1, KeyGet:1]",
        resultSignature: "OK, Forbidden",
        alertReasons: "[The user(objid) accessed the vault from a TOR exit node]. Note: the alert was raised by threat intelligence.",
        target: `${vaultUri(v)}/secrets/stripe-api-key`,
      }),
    ],
    directory: { users: [user], servicePrincipals: [appSp, ...microsoftApps], owners: [{ objectId: appSp.id, ownerIds: [user.id] }] },
    ...workspaceFor(v, { name: "law-security", customerId: guid(`${s}/workspace`), destination: "Dedicated", events }),
  };
}

/** 2. An in-tenant application that never used the vault reads secrets (KV_AppAnomaly); RBAC vault. */
function unusualApp(): FakeAzureSeed {
  const s = "unusual-app";
  const v: VaultRef = { subscriptionId: SUBSCRIPTION_ID, resourceGroup: "rg-hr", name: "kv-hr-prod", location: "northeurope", tenantId: TENANT_ID };
  const owner = { id: guid(`${s}/owner`), displayName: "Mina Okafor", userPrincipalName: "mina.okafor@contoso.example", accountEnabled: true, userType: "Member" };
  const appSp = { id: guid(`${s}/sp`), appId: guid(`${s}/app`), displayName: "report-exporter", appOwnerOrganizationId: TENANT_ID, servicePrincipalType: "Application", accountEnabled: true };
  const hrApp = { id: guid(`${s}/hr-sp`), appId: guid(`${s}/hr-app`), displayName: "hr-portal", appOwnerOrganizationId: TENANT_ID, servicePrincipalType: "Application", accountEnabled: true };
  const unusual: Caller = { ip: "52.166.10.20", objectId: appSp.id, appId: appSp.appId, type: "app", clientInfo: "python-requests/2.32.3" };
  const normal: Caller = { ip: "20.50.20.14", objectId: hrApp.id, appId: hrApp.appId, type: "app", clientInfo: SDK };
  const arg: Caller = { ip: "20.38.149.130", objectId: microsoftApps[0]?.id ?? "", appId: "509e4652-da8d-478d-a730-e9d4a1996ca4", type: "app", clientInfo: "ARG" };
  const start = "2026-01-15T07:40:00Z";
  const vid = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${v.resourceGroup}/providers/Microsoft.KeyVault/vaults/${v.name}`;
  const events: LogEvent[] = [
    { time: at(start, -300), operation: "SecretGet", caller: normal, object: secretPath(s, "payroll-db-password"), status: 200 },
    { time: at(start, -200), operation: "VaultGet", caller: arg, status: 200 },
    { time: at(start, 0), operation: "SecretList", caller: unusual, status: 200 },
    { time: at(start, 1), operation: "SecretGet", caller: unusual, object: secretPath(s, "payroll-db-password"), status: 200 },
    { time: at(start, 1.2), operation: "SecretGet", caller: unusual, object: secretPath(s, "sftp-private-key"), status: 200 },
    { time: at(start, 1.4), operation: "SecretGet", caller: unusual, object: secretPath(s, "benefits-api-token", 2), status: 200 },
    { time: at(start, 2), operation: "SecretGet", caller: unusual, object: secretPath(s, "benefits-api-token", 1), status: 200 },
  ];
  return {
    description: "An in-tenant application (with an owner) that never used the vault lists and reads secrets (KV_AppAnomaly). RBAC vault with a direct and an inherited assignment; logs in the legacy AzureDiagnostics table.",
    ...common(v, { displayName: "HR Production" }),
    vaults: [vault(v, { rbac: true, tags: { owner: "hr-platform@contoso.example" } })],
    vaultData: {
      [v.name]: {
        secrets: [secret(s, "payroll-db-password"), secret(s, "sftp-private-key", 1, { contentType: "application/x-pem-file" }), secret(s, "benefits-api-token", 3, { enabled: [false, true, true] })],
      },
    },
    alerts: [
      keyVaultAlert(v, {
        name: "2517185551999999999_9c7b0a64-3b35-4e57-9a64-1f0c9f2f7e21",
        alertType: "KV_AppAnomaly",
        displayName: "Unusual application accessed a key vault",
        description: "The key vault has been accessed by a service principal that doesn't normally access it. This anomalous access pattern might be legitimate activity, but it could be an indication that a threat actor has gained access to the key vault in an attempt to access the secrets contained within it.",
        severity: "Medium",
        intent: "CredentialAccess",
        start: at(start, 0),
        end: at(start, 2),
        caller: unusual,
        ipLocation: { countryCode: "NL", countryName: "Netherlands", city: "Amsterdam", asn: 8075 },
        operations24h: "[SecretGet:5, SecretList:1, VaultGet:1]",
        suspiciousOperations: "[SecretGet:4, SecretList:1]",
        resultSignature: "OK",
        alertReasons: "[The application(appid) does not usually access this vault, The application(appid) performed more operations than usual]",
      }),
    ],
    roleAssignments: [
      {
        id: `${vid}/providers/Microsoft.Authorization/roleAssignments/${guid(`${s}/ra-vault`)}`,
        name: guid(`${s}/ra-vault`),
        type: "Microsoft.Authorization/roleAssignments",
        properties: {
          roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
          principalId: appSp.id,
          principalType: "ServicePrincipal",
          createdOn: "2026-01-14T22:10:00Z",
          updatedOn: "2026-01-14T22:10:00Z",
        },
      },
      {
        id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${v.resourceGroup}/providers/Microsoft.Authorization/roleAssignments/${guid(`${s}/ra-rg`)}`,
        name: guid(`${s}/ra-rg`),
        type: "Microsoft.Authorization/roleAssignments",
        properties: {
          roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
          principalId: appSp.id,
          principalType: "ServicePrincipal",
          createdOn: "2025-09-02T10:00:00Z",
          updatedOn: "2025-09-02T10:00:00Z",
        },
      },
      {
        id: `${vid}/providers/Microsoft.Authorization/roleAssignments/${guid(`${s}/ra-hr`)}`,
        name: guid(`${s}/ra-hr`),
        type: "Microsoft.Authorization/roleAssignments",
        properties: {
          roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`,
          principalId: hrApp.id,
          principalType: "ServicePrincipal",
        },
      },
    ],
    directory: { users: [owner], servicePrincipals: [appSp, hrApp, ...microsoftApps], owners: [{ objectId: appSp.id, ownerIds: [owner.id] }, { objectId: hrApp.id, ownerIds: [owner.id] }] },
    ...workspaceFor(v, { name: "law-hr", customerId: guid(`${s}/workspace`), destination: "AzureDiagnostics", events }),
  };
}

/** 3. Denied probing from a suspicious IP against a firewalled vault (KV_SuspiciousIPAccessDenied). */
function deniedProbing(): FakeAzureSeed {
  const s = "denied-probing-suspicious-ip";
  const v: VaultRef = { subscriptionId: SUBSCRIPTION_ID, resourceGroup: "rg-core", name: "kv-core-shared", location: "eastus", tenantId: TENANT_ID };
  const appSp = { id: guid(`${s}/sp`), appId: guid(`${s}/app`), displayName: "core-deployer", appOwnerOrganizationId: TENANT_ID, servicePrincipalType: "Application", accountEnabled: true };
  const probe: Caller = { ip: "45.142.212.61", clientInfo: "curl/8.5.0" };
  const legit: Caller = { ip: "198.51.100.7", objectId: appSp.id, appId: appSp.appId, type: "app", clientInfo: SDK };
  const start = "2026-01-15T03:05:00Z";
  const probes: LogEvent[] = ["VaultGet", "SecretList", "SecretGet", "SecretGet", "KeyList", "SecretGet", "CertificateList", "SecretGet"].map((operation, i) => ({
    time: at(start, i * 0.4),
    operation,
    caller: probe,
    ...(operation === "SecretGet" ? { object: `secrets/${["admin-password", "api-key", "prod-db", "root-token"][i % 4] ?? "x"}` } : {}),
    status: 403,
    signature: "Forbidden",
    isAddressAuthorized: false,
    isAccessPolicyMatch: false,
  }));
  const events: LogEvent[] = [
    { time: at(start, -90), operation: "SecretGet", caller: legit, object: secretPath(s, "deploy-token"), status: 200 },
    { time: at(start, -1), operation: "Authentication", caller: probe, status: 401 },
    ...probes,
  ];
  return {
    description: "Denied probing from a suspicious (non-TOR) IP against a firewalled vault: every request answered 403 by the firewall (KV_SuspiciousIPAccessDenied). No secret was read.",
    ...common(v, { displayName: "Core Shared" }),
    vaults: [
      vault(v, {
        rbac: false,
        purgeProtection: true,
        networkAcls: { bypass: "AzureServices", defaultAction: "Deny", ipRules: [{ value: "198.51.100.7/32" }], virtualNetworkRules: [] },
        accessPolicies: [{ tenantId: TENANT_ID, objectId: appSp.id, permissions: { secrets: ["get", "list", "set"] } }],
      }),
    ],
    vaultData: { [v.name]: { secrets: [secret(s, "deploy-token"), secret(s, "admin-password")] } },
    alerts: [
      keyVaultAlert(v, {
        name: "2517185652999999999_0f4e1c2d-6a7b-4c8d-9e0f-a1b2c3d4e5f6",
        alertType: "KV_SuspiciousIPAccessDenied",
        displayName: "Denied access from a suspicious IP to a key vault",
        description: "An unsuccessful key vault access was attempted by an IP that has been identified by Microsoft Threat Intelligence as a suspicious IP address.",
        severity: "Low",
        intent: "CredentialAccess",
        start: at(start, 0),
        end: at(start, 3),
        caller: probe,
        ipLocation: { countryCode: "NL", countryName: "Netherlands" },
        operations24h: "[SecretGet:5, VaultGet:1, SecretList:1, KeyList:1, CertificateList:1, Authentication:1]",
        suspiciousOperations: "[SecretGet:4, VaultGet:1, SecretList:1, KeyList:1, CertificateList:1]",
        resultSignature: "Forbidden",
        alertReasons: "[The IP address is flagged as suspicious by Microsoft Threat Intelligence, All the operations were denied]",
      }),
    ],
    directory: { servicePrincipals: [appSp, ...microsoftApps] },
    network: { defaultCallerIp: "198.51.100.7" },
    ...workspaceFor(v, { name: "law-core", customerId: guid(`${s}/workspace`), destination: "Dedicated", events }),
  };
}

/** 4. A user holding Entra directory roles reads secrets from an unusual external IP (KV_UnusualAccessSuspiciousIP). */
function directoryRoleUser(): FakeAzureSeed {
  const s = "directory-role-user";
  const v: VaultRef = { subscriptionId: SUBSCRIPTION_ID, resourceGroup: "rg-identity", name: "kv-identity-prod", location: "westeurope", tenantId: TENANT_ID };
  const admin = { id: guid(`${s}/admin`), displayName: "Alex Moreau", userPrincipalName: "alex.moreau@contoso.example", mail: "alex.moreau@contoso.example", accountEnabled: true, userType: "Member" };
  const caller: Caller = { ip: "91.219.236.18", objectId: admin.id, upn: admin.userPrincipalName, appId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", type: "user", clientInfo: "AzureCLI/2.67.0" };
  const start = "2026-01-15T10:20:00Z";
  const events: LogEvent[] = [
    { time: at(start, 0), operation: "VaultGet", caller, status: 200 },
    { time: at(start, 0.5), operation: "SecretList", caller, status: 200 },
    { time: at(start, 1), operation: "SecretGet", caller, object: secretPath(s, "scim-bearer-token"), status: 200 },
    { time: at(start, 1.5), operation: "SecretGet", caller, object: secretPath(s, "saml-signing-cert-password"), status: 200 },
    { time: at(start, 2), operation: "SecretBackup", caller, object: `secrets/break-glass-password`, status: 200 },
    { time: at(start, 2.5), operation: "SecretGet", caller, object: secretPath(s, "break-glass-password"), status: 200 },
  ];
  return {
    description: "A user who holds an active Global Administrator role (and an eligible Privileged Role Administrator role) reads and backs up secrets from an unusual external IP (KV_UnusualAccessSuspiciousIP). Needs escalation to an Entra admin.",
    ...common(v, { displayName: "Identity Production" }),
    vaults: [
      vault(v, {
        rbac: false,
        purgeProtection: true,
        accessPolicies: [{ tenantId: TENANT_ID, objectId: admin.id, permissions: { secrets: ["Get", "List", "Set", "Delete", "Backup", "Restore", "Recover"], certificates: ["Get", "List"] } }],
      }),
    ],
    vaultData: { [v.name]: { secrets: [secret(s, "scim-bearer-token"), secret(s, "saml-signing-cert-password"), secret(s, "break-glass-password", 2)] } },
    alerts: [
      keyVaultAlert(v, {
        name: "2517185487999999999_7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
        alertType: "KV_UnusualAccessSuspiciousIP",
        displayName: "Unusual access to the key vault from a suspicious IP (Non-Microsoft or external)",
        description: "A user or service principal has attempted anomalous access to key vaults from a non-Microsoft IP in the last 24 hours.",
        severity: "Medium",
        intent: "CredentialAccess",
        start: at(start, 0),
        end: at(start, 2.5),
        caller,
        ipLocation: { countryCode: "UA", countryName: "Ukraine" },
        operations24h: "[SecretGet:3, SecretList:1, SecretBackup:1, VaultGet:1]",
        suspiciousOperations: "[SecretGet:3, SecretBackup:1, SecretList:1]",
        resultSignature: "OK",
        alertReasons: "[The user(objid) does not usually come from this IP, The IP is not a Microsoft IP]",
      }),
    ],
    roleAssignments: [
      {
        id: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleAssignments/${guid(`${s}/ra-owner`)}`,
        name: guid(`${s}/ra-owner`),
        type: "Microsoft.Authorization/roleAssignments",
        properties: { roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`, principalId: admin.id, principalType: "User" },
      },
    ],
    directory: {
      users: [admin],
      servicePrincipals: microsoftApps,
      roleAssignments: [{ id: guid(`${s}/dra-ga`), principalId: admin.id, roleDefinitionId: "62e90394-69f5-4237-9190-012177145e10", directoryScopeId: "/" }],
      roleEligibilityScheduleInstances: [
        { id: guid(`${s}/rei-pra`), principalId: admin.id, roleDefinitionId: "e8611ab8-c189-46e8-94e1-60213ab1f814", directoryScopeId: "/", memberType: "Direct", startDateTime: "2025-11-01T00:00:00Z", endDateTime: "2026-11-01T00:00:00Z" },
      ],
    },
    ...workspaceFor(v, { name: "law-identity", customerId: guid(`${s}/workspace`), destination: "Dedicated", events }),
  };
}

/** 5. A principal widens the vault policy to itself, then reads secrets (KV_PutGetAnomaly). */
function policyChangeThenReads(): FakeAzureSeed {
  const s = "policy-change-then-reads";
  const v: VaultRef = { subscriptionId: SUBSCRIPTION_ID, resourceGroup: "rg-billing", name: "kv-billing-prod", location: "westeurope", tenantId: TENANT_ID };
  const contractor = { id: guid(`${s}/contractor`), displayName: "Sam Doyle (contractor)", userPrincipalName: "sam.doyle_ext@contoso.example", accountEnabled: true, userType: "Guest" };
  const billingSp = { id: guid(`${s}/billing-sp`), appId: guid(`${s}/billing-app`), displayName: "billing-worker", appOwnerOrganizationId: TENANT_ID, servicePrincipalType: "Application", accountEnabled: true };
  const caller: Caller = { ip: "203.0.113.77", objectId: contractor.id, upn: contractor.userPrincipalName, appId: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", type: "user", clientInfo: BROWSER };
  const start = "2026-01-15T11:02:00Z";
  const events: LogEvent[] = [
    { time: at(start, -240), operation: "SecretGet", caller: { ip: "20.50.20.14", objectId: billingSp.id, appId: billingSp.appId, type: "app", clientInfo: SDK }, object: secretPath(s, "invoice-signing-key"), status: 200 },
    { time: at(start, 0), operation: "VaultGet", caller, status: 200 },
    { time: at(start, 0.5), operation: "VaultPut", caller, status: 200 },
    { time: at(start, 3), operation: "SecretList", caller, status: 200 },
    { time: at(start, 3.5), operation: "SecretGet", caller, object: secretPath(s, "invoice-signing-key"), status: 200 },
    { time: at(start, 4), operation: "SecretGet", caller, object: secretPath(s, "bank-sftp-password"), status: 200 },
    { time: at(start, 4.5), operation: "SecretGet", caller, object: secretPath(s, "tax-api-token"), status: 200 },
    { time: at(start, 5), operation: "SecretGet", caller, object: secretPath(s, "bank-sftp-password"), status: 200 },
  ];
  return {
    description: "A guest contractor with vault write access (Contributor on the resource group) adds an access policy for itself, then lists and reads secrets (KV_PutGetAnomaly). The added entry is still on the vault, PascalCase as the portal stores it.",
    ...common(v, { displayName: "Billing Production" }),
    vaults: [
      vault(v, {
        rbac: false,
        accessPolicies: [
          { tenantId: TENANT_ID, objectId: billingSp.id, permissions: { secrets: ["get"] } },
          { tenantId: TENANT_ID, objectId: contractor.id, permissions: { secrets: ["Get", "List"] } },
        ],
      }),
    ],
    vaultData: { [v.name]: { secrets: [secret(s, "invoice-signing-key"), secret(s, "bank-sftp-password"), secret(s, "tax-api-token")] } },
    alerts: [
      keyVaultAlert(v, {
        name: "2517185430999999999_3d2c1b0a-9f8e-4d7c-8b6a-5f4e3d2c1b0a",
        alertType: "KV_PutGetAnomaly",
        displayName: "Suspicious policy change and secret query in a key vault",
        description: "A Key Vault policy change has been made and then operations to list and/or get secrets occurred. In addition, this operation pattern isn't normally performed by the user on this vault.",
        severity: "Medium",
        intent: "CredentialAccess",
        start: at(start, 0.5),
        end: at(start, 5),
        caller,
        operations24h: "[SecretGet:5, VaultGet:1, VaultPut:1, SecretList:1]",
        suspiciousOperations: "[VaultPut:1, SecretGet:4, SecretList:1]",
        resultSignature: "OK",
        alertReasons: "[The user(objid) changed the vault policy and then read secrets, which it does not usually do]",
      }),
    ],
    roleAssignments: [
      {
        id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${v.resourceGroup}/providers/Microsoft.Authorization/roleAssignments/${guid(`${s}/ra-contributor`)}`,
        name: guid(`${s}/ra-contributor`),
        type: "Microsoft.Authorization/roleAssignments",
        properties: { roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`, principalId: contractor.id, principalType: "User" },
      },
    ],
    directory: { users: [contractor], servicePrincipals: [billingSp, ...microsoftApps] },
    ...workspaceFor(v, { name: "law-billing", customerId: guid(`${s}/workspace`), destination: "Dedicated", events }),
  };
}

const scenarios: Record<string, FakeAzureSeed> = {
  "tor-secret-reads": torSecretReads(),
  "unusual-app": unusualApp(),
  "denied-probing-suspicious-ip": deniedProbing(),
  "directory-role-user": directoryRoleUser(),
  "policy-change-then-reads": policyChangeThenReads(),
};

for (const [name, seed] of Object.entries(scenarios)) {
  const file = fileURLToPath(new URL(`../scenarios/${name}.json`, import.meta.url));
  writeFileSync(file, `${JSON.stringify({ $schema: "../schema/seed.schema.json", ...seed }, null, 2)}\n`);
  console.log(`wrote ${file}`);
}
