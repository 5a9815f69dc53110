import type { RoleDefinition } from "../state/arm-types.js";

/** Built-in Azure roles that matter for Key Vault access (GUIDs from Microsoft's built-in roles page). */
const BUILT_IN_ROLES: ReadonlyArray<{ id: string; roleName: string; description: string; actions?: string[]; dataActions?: string[] }> = [
  {
    id: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    roleName: "Owner",
    description: "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
    actions: ["*"],
  },
  {
    id: "b24988ac-6180-42a0-ab88-20f7382dd24c",
    roleName: "Contributor",
    description: "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC.",
    actions: ["*"],
  },
  {
    id: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    roleName: "Reader",
    description: "View all resources, but does not allow you to make any changes.",
    actions: ["*/read"],
  },
  {
    id: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    roleName: "User Access Administrator",
    description: "Lets you manage user access to Azure resources.",
    actions: ["*/read", "Microsoft.Authorization/*"],
  },
  {
    id: "fb1c8493-542b-48eb-b624-b4c8fea62acd",
    roleName: "Security Admin",
    description: "Security Admin Role",
    actions: ["Microsoft.Security/*"],
  },
  {
    id: "39bc4728-0917-49c7-9d2c-d95423bc2eb4",
    roleName: "Security Reader",
    description: "Security Reader Role",
    actions: ["Microsoft.Security/*/read"],
  },
  {
    id: "00482a5a-887f-4fb3-b363-3b7fe8e74483",
    roleName: "Key Vault Administrator",
    description: "Perform all data plane operations on a key vault and all objects in it.",
    dataActions: ["Microsoft.KeyVault/vaults/*"],
  },
  {
    id: "a4417e6f-fecd-4de8-b567-7b0420556985",
    roleName: "Key Vault Certificates Officer",
    description: "Perform any action on the certificates of a key vault.",
    dataActions: ["Microsoft.KeyVault/vaults/certificates/*"],
  },
  {
    id: "db79e9a7-68ee-4b58-9aeb-b90e7c24fcba",
    roleName: "Key Vault Certificate User",
    description: "Read entire certificate contents including secret and key portion.",
    dataActions: ["Microsoft.KeyVault/vaults/certificates/read"],
  },
  {
    id: "14b46e9e-c2b7-41b4-b07b-48a6ebf60603",
    roleName: "Key Vault Crypto Officer",
    description: "Perform any action on the keys of a key vault.",
    dataActions: ["Microsoft.KeyVault/vaults/keys/*"],
  },
  {
    id: "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    roleName: "Key Vault Crypto Service Encryption User",
    description: "Read metadata of keys and perform wrap/unwrap operations.",
    dataActions: [
      "Microsoft.KeyVault/vaults/keys/read",
      "Microsoft.KeyVault/vaults/keys/wrap/action",
      "Microsoft.KeyVault/vaults/keys/unwrap/action",
    ],
  },
  {
    id: "08bbd89e-9f13-488c-ac41-acfcb10c90ab",
    roleName: "Key Vault Crypto Service Release User",
    description: "Release keys.",
    dataActions: ["Microsoft.KeyVault/vaults/keys/release/action"],
  },
  {
    id: "12338af0-0e69-4776-bea7-57ae8d297424",
    roleName: "Key Vault Crypto User",
    description: "Perform cryptographic operations using keys.",
    dataActions: ["Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/sign/action"],
  },
  {
    id: "21090545-7ca7-4776-b22c-e363652d74d2",
    roleName: "Key Vault Reader",
    description: "Read metadata of key vaults and its certificates, keys, and secrets.",
    dataActions: ["Microsoft.KeyVault/vaults/*/read"],
  },
  {
    id: "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
    roleName: "Key Vault Secrets Officer",
    description: "Perform any action on the secrets of a key vault.",
    dataActions: ["Microsoft.KeyVault/vaults/secrets/*"],
  },
  {
    id: "4633458b-17de-408a-b874-0445c86b69e6",
    roleName: "Key Vault Secrets User",
    description: "Read secret contents.",
    dataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"],
  },
  {
    id: "8b54135c-b56d-4d72-a534-26097cfdc8d8",
    roleName: "Key Vault Data Access Administrator",
    description: "Manage access to Azure Key Vault by adding or removing role assignments.",
    actions: ["Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete"],
  },
  {
    id: "f25e0fa2-a7c8-4377-a976-54943a77a395",
    roleName: "Key Vault Contributor",
    description:
      "Manage key vaults, but does not allow you to assign roles in Azure RBAC, and does not allow you to access secrets, keys, or certificates.",
    actions: ["Microsoft.KeyVault/*"],
  },
];

export function builtInRoleDefinitions(): RoleDefinition[] {
  return BUILT_IN_ROLES.map((role) => ({
    id: `/providers/Microsoft.Authorization/roleDefinitions/${role.id}`,
    name: role.id,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: {
      roleName: role.roleName,
      description: role.description,
      type: "BuiltInRole",
      permissions: [{ actions: role.actions ?? [], notActions: [], dataActions: role.dataActions ?? [], notDataActions: [] }],
      assignableScopes: ["/"],
    },
  }));
}
