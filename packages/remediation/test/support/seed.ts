import type { FakeAzureSeed, SeedSecret } from "@keywarden/testing";
import alertFixture from "../fixtures/key-vault-alert.json" with { type: "json" };
import { DEFAULT_TENANT_ID } from "@keywarden/testing";
import { generateKeyPairSync } from "node:crypto";

export const TENANT = DEFAULT_TENANT_ID;
export const SUB = "5f1c0a8e-0000-4000-8000-000000000001";
export const RG = "rg-prod";
export const VAULT = "kv-prod";
export const RBAC_VAULT = "kv-rbac";
export const LOCKED_VAULT = "kv-locked";
export const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/${VAULT}`;
export const RBAC_VAULT_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/${RBAC_VAULT}`;
export const LOCKED_VAULT_ID = `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.KeyVault/vaults/${LOCKED_VAULT}`;
export const SUBNET_ID = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/App-Subnet`;

/** The suspicious principal: PascalCase entries, one of them a compound identity. */
export const ATTACKER = "a7a7a7a7-0000-4000-8000-00000000bad1";
export const ATTACKER_APP = "a7a7a7a7-0000-4000-8000-0000000000ab";
/** Another principal whose access must survive untouched. */
export const BYSTANDER = "0b0b0b0b-0000-4000-8000-0000000000b2";
/** The responder's own address (the fake's default caller IP), kept allowed by firewall plans. */
export const RESPONDER_IP = "203.0.113.10";

/** Unique values that must never leave the fake tenant through Keywarden. */
export const CANARIES = [
  "canary-7f3a9c1e-db-password-v1",
  "canary-7f3a9c1e-db-password-v2",
  "canary-7f3a9c1e-db-password-v3",
  "canary-7f3a9c1e-api-token-v1",
  "canary-7f3a9c1e-api-token-v2",
  "canary-7f3a9c1e-deleted-v1",
  "canary-7f3a9c1e-locked-v1",
] as const;

export const VERSIONS = {
  dbPassword: ["0a0000000000000000000000000000a1", "0a0000000000000000000000000000a2", "0a0000000000000000000000000000a3"],
  apiToken: ["0b0000000000000000000000000000b1", "0b0000000000000000000000000000b2"],
};

export const KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6";
export const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

function secret(name: string, values: readonly string[], versions?: readonly string[], contentType?: string): SeedSecret {
  return {
    name,
    versions: values.map((value, index) => ({
      value,
      ...(versions?.[index] === undefined ? {} : { version: versions[index] }),
      ...(contentType === undefined ? {} : { contentType }),
      attributes: { created: 1_760_000_000 + index * 1000 },
    })),
  };
}

/** An EC P-256 public key: rotating it is fast (RSA key generation would dominate the fault-matrix runtime). */
const EC_KEY = (() => {
  const jwk = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ format: "jwk" });
  return { kty: "EC", crv: "P-256", x: jwk.x ?? "", y: jwk.y ?? "", key_ops: ["sign", "verify"] };
})();

export function remediationSeed(): FakeAzureSeed {
  return {
    tenantId: TENANT,
    time: "2026-11-28T09:00:00Z",
    subscriptions: [{ subscriptionId: SUB, displayName: "prod" }],
    resourceGroups: [
      { id: `/subscriptions/${SUB}/resourceGroups/${RG}`, location: "westeurope" },
      { id: `/subscriptions/${SUB}/resourceGroups/rg-net`, location: "westeurope" },
    ],
    vaults: [
      {
        id: VAULT_ID,
        name: VAULT,
        type: "Microsoft.KeyVault/vaults",
        location: "westeurope",
        properties: {
          tenantId: TENANT,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: false,
          enableSoftDelete: true,
          softDeleteRetentionInDays: 7,
          accessPolicies: [
            { tenantId: TENANT, objectId: ATTACKER, permissions: { secrets: ["Get", "List"], keys: ["Get", "WrapKey"] } },
            { tenantId: TENANT, objectId: ATTACKER, applicationId: ATTACKER_APP, permissions: { secrets: ["Get"] } },
            { tenantId: TENANT, objectId: BYSTANDER, permissions: { secrets: ["Get", "List", "Set"], certificates: ["Get"] } },
          ],
          networkAcls: {
            defaultAction: "Allow",
            bypass: "AzureServices",
            ipRules: [{ value: "198.51.100.0/24" }, { value: "192.0.2.10" }],
            virtualNetworkRules: [{ id: SUBNET_ID }],
          },
        },
      },
      {
        id: RBAC_VAULT_ID,
        name: RBAC_VAULT,
        type: "Microsoft.KeyVault/vaults",
        location: "westeurope",
        properties: {
          tenantId: TENANT,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: true,
          enableSoftDelete: true,
          accessPolicies: [],
        },
      },
      {
        id: LOCKED_VAULT_ID,
        name: LOCKED_VAULT,
        type: "Microsoft.KeyVault/vaults",
        location: "westeurope",
        properties: {
          tenantId: TENANT,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: false,
          enableSoftDelete: true,
          enablePurgeProtection: true,
          accessPolicies: [],
        },
      },
    ],
    vaultData: {
      [VAULT]: {
        secrets: [
          secret("db-password", CANARIES.slice(0, 3), VERSIONS.dbPassword, "application/x-sql-password"),
          secret("api-token", CANARIES.slice(3, 5), VERSIONS.apiToken),
        ],
        deletedSecrets: [{ ...secret("old-token", [CANARIES[5]]), deletedDate: "2026-11-27T09:00:00Z" }],
        keys: [{ name: "wrap-key", versions: [{ key: EC_KEY }] }],
        certificates: [
          {
            name: "web-tls",
            versions: [{}],
            policy: {
              key_props: { exportable: true, kty: "EC", crv: "P-256", reuse_key: false },
              secret_props: { contentType: "application/x-pem-file" },
              x509_props: { subject: "CN=web.contoso.example", validity_months: 12 },
              issuer: { name: "Self" },
            },
          },
        ],
      },
      [LOCKED_VAULT]: { secrets: [secret("legacy", [CANARIES[6]])] },
    },
    alerts: [structuredClone(alertFixture)],
    roleAssignments: [
      {
        id: `${RBAC_VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-4000-8000-000000000001`,
        name: "11111111-0000-4000-8000-000000000001",
        type: "Microsoft.Authorization/roleAssignments",
        properties: {
          scope: RBAC_VAULT_ID,
          roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`,
          principalId: ATTACKER,
          principalType: "User",
        },
      },
      {
        id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-4000-8000-000000000002`,
        name: "11111111-0000-4000-8000-000000000002",
        type: "Microsoft.Authorization/roleAssignments",
        properties: {
          scope: `/subscriptions/${SUB}/resourceGroups/${RG}`,
          roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${READER}`,
          principalId: ATTACKER,
          principalType: "User",
        },
      },
      {
        id: `${RBAC_VAULT_ID}/providers/Microsoft.Authorization/roleAssignments/11111111-0000-4000-8000-000000000003`,
        name: "11111111-0000-4000-8000-000000000003",
        type: "Microsoft.Authorization/roleAssignments",
        properties: {
          scope: RBAC_VAULT_ID,
          roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${KEY_VAULT_SECRETS_USER}`,
          principalId: BYSTANDER,
          principalType: "User",
        },
      },
    ],
    directory: {
      users: [
        { id: ATTACKER, displayName: "Mallory", userPrincipalName: "mallory@contoso.example", accountEnabled: true, userType: "Member" },
        { id: BYSTANDER, displayName: "Bob", userPrincipalName: "bob@contoso.example", accountEnabled: true, userType: "Member" },
      ],
    },
  };
}

export const ALERT_ID = alertFixture.id;
export const ALERT_NAME = alertFixture.name;
