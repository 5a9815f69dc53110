/**
 * What each Keywarden operation needs in Azure: the permission (an Azure RBAC action, a Key Vault data action or a
 * Microsoft Graph permission) and the least-privileged built-in role that grants it. The CLI and the responder use it to turn a 403
 * into "you are missing X; the built-in role Y grants it", and docs/integrators-guide.md prints the same table.
 */
export interface PermissionRequirement {
  /** What the operation does, in the words of the CLI and the plan (`enable-firewall`, `list alerts`). */
  operation: string;
  /** The permission that was missing, as Azure names it. */
  permission: string;
  /** The least-privileged built-in role (Azure RBAC or Entra) that grants it. */
  role: string;
  /** Matches the failed request (HTTP method and URL). */
  matches(method: string, url: URL): boolean;
}

const arm = (url: URL): boolean => url.hostname === "management.azure.com" || url.hostname.endsWith(".management.azure.com");
const vaultHost = (url: URL): boolean => /\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)$/i.test(url.hostname);
const graph = (url: URL): boolean => url.hostname === "graph.microsoft.com";
const path = (url: URL): string => url.pathname.toLowerCase();

export const permissionCatalog: readonly PermissionRequirement[] = [
  {
    operation: "simulate alerts",
    permission: "Microsoft.Security/locations/alerts/simulate/action",
    role: "Security Admin",
    matches: (method, url) => arm(url) && method === "POST" && path(url).endsWith("/alerts/default/simulate"),
  },
  {
    operation: "update-alert-state",
    permission: "Microsoft.Security/locations/alerts/resolve/action (and /dismiss, /activate, /inProgress)",
    role: "Security Admin",
    matches: (method, url) => arm(url) && method === "POST" && /\/microsoft\.security\/locations\/[^/]+\/alerts\/[^/]+\/(dismiss|resolve|activate|inprogress)$/.test(path(url)),
  },
  {
    operation: "list / get alerts",
    permission: "Microsoft.Security/alerts/read",
    role: "Security Reader",
    matches: (method, url) => arm(url) && method === "GET" && path(url).includes("/providers/microsoft.security/") && path(url).includes("/alerts"),
  },
  {
    operation: "suppression rules (create, update, delete)",
    permission: "Microsoft.Security/alertsSuppressionRules/write, /delete",
    role: "Security Admin",
    matches: (method, url) => arm(url) && method !== "GET" && path(url).includes("/alertssuppressionrules"),
  },
  {
    operation: "suppression rules (read)",
    permission: "Microsoft.Security/alertsSuppressionRules/read",
    role: "Security Reader",
    matches: (method, url) => arm(url) && method === "GET" && path(url).includes("/alertssuppressionrules"),
  },
  {
    operation: "remove-access-policy / restrict-permissions",
    permission: "Microsoft.KeyVault/vaults/accessPolicies/write",
    role: "Key Vault Contributor",
    matches: (method, url) => arm(url) && method === "PUT" && /\/vaults\/[^/]+\/accesspolicies\//.test(path(url)),
  },
  {
    operation: "enable-firewall",
    permission: "Microsoft.KeyVault/vaults/write",
    role: "Key Vault Contributor",
    matches: (method, url) => arm(url) && (method === "PATCH" || method === "PUT") && /\/providers\/microsoft\.keyvault\/vaults\/[^/]+$/.test(path(url)),
  },
  {
    operation: "remove-role-assignments",
    permission: "Microsoft.Authorization/roleAssignments/delete",
    role: "Role Based Access Control Administrator (Key Vault Data Access Administrator for Key Vault data roles only)",
    matches: (method, url) => arm(url) && method === "DELETE" && path(url).includes("/providers/microsoft.authorization/roleassignments/"),
  },
  {
    operation: "read role assignments",
    permission: "Microsoft.Authorization/roleAssignments/read",
    role: "Reader",
    matches: (method, url) => arm(url) && method === "GET" && path(url).includes("/providers/microsoft.authorization/role"),
  },
  {
    operation: "read diagnostic settings",
    permission: "Microsoft.Insights/diagnosticSettings/read",
    role: "Monitoring Reader",
    matches: (method, url) => arm(url) && path(url).includes("/providers/microsoft.insights/diagnosticsettings"),
  },
  {
    operation: "read service tags",
    permission: "Microsoft.Network/locations/serviceTags/read",
    role: "Reader",
    matches: (method, url) => arm(url) && path(url).includes("/servicetags"),
  },
  {
    operation: "read the vault",
    permission: "Microsoft.KeyVault/vaults/read",
    role: "Key Vault Reader",
    matches: (method, url) => arm(url) && method === "GET" && path(url).includes("/providers/microsoft.keyvault/vaults"),
  },
  {
    operation: "measure-impact (Log Analytics query)",
    permission: "Microsoft.OperationalInsights/workspaces/query/read",
    role: "Log Analytics Reader",
    matches: (_method, url) => url.hostname === "api.loganalytics.io" || url.hostname === "api.loganalytics.azure.com",
  },
  {
    operation: "rotate-secrets",
    permission: "Microsoft.KeyVault/vaults/secrets/setSecret/action (access policy: secrets set)",
    role: "Key Vault Secrets Officer",
    matches: (method, url) => vaultHost(url) && method === "PUT" && path(url).startsWith("/secrets/"),
  },
  {
    operation: "disable-secrets",
    permission: "Microsoft.KeyVault/vaults/secrets/update/action (access policy: secrets set)",
    role: "Key Vault Secrets Officer",
    matches: (method, url) => vaultHost(url) && method === "PATCH" && path(url).startsWith("/secrets/"),
  },
  {
    operation: "delete-secrets",
    permission: "Microsoft.KeyVault/vaults/secrets/delete (access policy: secrets delete)",
    role: "Key Vault Secrets Officer",
    matches: (method, url) => vaultHost(url) && method === "DELETE" && path(url).startsWith("/secrets/"),
  },
  {
    operation: "recover / purge secrets",
    permission: "Microsoft.KeyVault/vaults/secrets/recover/action, /purge/action",
    role: "Key Vault Secrets Officer",
    matches: (_method, url) => vaultHost(url) && path(url).startsWith("/deletedsecrets"),
  },
  {
    operation: "read secret metadata",
    permission: "Microsoft.KeyVault/vaults/secrets/readMetadata/action (access policy: secrets list)",
    role: "Key Vault Reader",
    matches: (method, url) => vaultHost(url) && method === "GET" && path(url).startsWith("/secrets"),
  },
  {
    operation: "rotate-keys",
    permission: "Microsoft.KeyVault/vaults/keys/rotate/action (access policy: keys rotate)",
    role: "Key Vault Crypto Officer",
    matches: (method, url) => vaultHost(url) && method === "POST" && /^\/keys\/[^/]+\/rotate$/.test(path(url)),
  },
  {
    // Before "disable or delete keys": a plan key's sign/verify is a POST under /keys/ too, and needs another role.
    operation: "sign or verify plans with a Key Vault key",
    permission: "Microsoft.KeyVault/vaults/keys/sign/action, /verify/action (access policy: keys sign, verify)",
    role: "Key Vault Crypto User",
    matches: (method, url) => vaultHost(url) && method === "POST" && /^\/keys\/[^/]+(\/[^/]+)?\/(sign|verify)$/.test(path(url)),
  },
  {
    operation: "disable or delete keys",
    permission: "Microsoft.KeyVault/vaults/keys/update/action, /delete",
    role: "Key Vault Crypto Officer",
    matches: (method, url) => vaultHost(url) && method !== "GET" && (path(url).startsWith("/keys/") || path(url).startsWith("/deletedkeys")),
  },
  {
    operation: "certificates (new version, disable, delete)",
    permission: "Microsoft.KeyVault/vaults/certificates/create/action, /update/action, /delete",
    role: "Key Vault Certificates Officer",
    matches: (method, url) => vaultHost(url) && method !== "GET" && (path(url).startsWith("/certificates/") || path(url).startsWith("/deletedcertificates")),
  },
  {
    operation: "read keys and certificates metadata",
    permission: "Microsoft.KeyVault/vaults/keys/read, /certificates/read",
    role: "Key Vault Reader",
    matches: (method, url) => vaultHost(url) && method === "GET",
  },
  {
    operation: "revoke-sessions",
    permission: "User.RevokeSessions.All (Microsoft Graph)",
    role: "User Administrator (Entra ID; Privileged Authentication Administrator for administrators)",
    matches: (method, url) => graph(url) && method === "POST" && path(url).endsWith("/revokesigninsessions"),
  },
  {
    operation: "identify the principal (directory lookup)",
    permission: "Directory.Read.All (Microsoft Graph; or User.Read.All, Application.Read.All and RoleManagement.Read.Directory)",
    role: "Directory Readers (Entra ID)",
    matches: (method, url) => graph(url) && method === "GET",
  },
];

/** The requirement that explains a 403 on `method url`, if Keywarden knows it. */
export function findPermissionRequirement(method: string, url: string): PermissionRequirement | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const upper = method.toUpperCase();
  return permissionCatalog.find((requirement) => requirement.matches(upper, parsed));
}
