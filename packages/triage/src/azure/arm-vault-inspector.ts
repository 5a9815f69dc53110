import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { KeyVaultManagementClient, type Vault } from "@azure/arm-keyvault";
import type { TokenCredential } from "@azure/core-auth";
import type { LookupOptions } from "../providers/lookup-options.js";
import type { VaultDescription, VaultInspector } from "../providers/vault-inspector.js";
import { describeRole, roleDefinitionGuid, toRoleAssignmentRef, type RolePermissions } from "../source/azure-role-catalog.js";
import type { AccessPolicyEntry, FirewallState, RoleAssignmentRef } from "../source-report.js";
import { withKeywardenUserAgent, type KeywardenClientOptions } from "@keywarden/core";
import { logger } from "../log.js";
import { tracingClient } from "../tracing.js";
import { packageVersion } from "../version.js";
import { untilAborted } from "./abortable.js";
import { InvalidTriageArgumentError } from "../errors/invalid-triage-argument-error.js";

export interface ArmVaultInspectorOptions extends KeywardenClientOptions {
  /** ARM endpoint for sovereign clouds. Default `https://management.azure.com`. */
  endpoint?: string;
}

const VAULT_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.KeyVault\/vaults\/([a-zA-Z0-9-]{3,24})\/?$/i;

/** A role assignment at, above or below a vault, as listed for the vault's scope. */
interface ScopeAssignment {
  id: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  name?: string;
  principalType?: string;
  condition?: string;
}

/**
 * Reads vaults through `@azure/arm-keyvault` (api-version 2026-02-01) and role assignments through
 * `@azure/arm-authorization` (every assignment at, above and below the vault, listed once per vault and shared by
 * the principals asked about). Custom roles are classified from their definition. Lookups of the same vault that
 * are in flight together (the alerts of a burst) share one request. Needs Reader on the vaults
 * (Microsoft.KeyVault/vaults/read, Microsoft.Authorization/roleAssignments/read, roleDefinitions/read).
 */
export class ArmVaultInspector implements VaultInspector {
  readonly #credential: TokenCredential;
  readonly #options: ArmVaultInspectorOptions;
  readonly #vaultClients = new Map<string, KeyVaultManagementClient>();
  readonly #authorizationClients = new Map<string, AuthorizationManagementClient>();
  readonly #customRoles = new Map<string, Promise<RolePermissions | undefined>>();
  /** Requests in flight, by vault: concurrent lookups of one vault share them; settled ones are dropped. */
  readonly #vaultReads = new Map<string, Promise<Vault>>();
  readonly #scopeReads = new Map<string, Promise<ScopeAssignment[]>>();

  constructor(credential: TokenCredential, options: ArmVaultInspectorOptions = {}) {
    this.#credential = credential;
    this.#options = options;
  }

  getVault(vaultResourceId: string, options: LookupOptions = {}): Promise<VaultDescription> {
    return tracingClient.withSpan("ArmVaultInspector.getVault", options, async (updated) => {
      const { subscriptionId, resourceGroup, name } = parseVaultId(vaultResourceId);
      const vault = await shareInFlight(
        this.#vaultReads,
        vaultResourceId.toLowerCase(),
        () => {
          logger.info(`GET vault ${name} (resource group ${resourceGroup})`);
          return this.#vaultClient(subscriptionId).vaults.get(resourceGroup, name, shared(updated));
        },
        updated.abortSignal,
      );
      return describeVault(vault, vaultResourceId);
    });
  }

  listRoleAssignments(vaultResourceId: string, principalId: string, options: LookupOptions = {}): Promise<RoleAssignmentRef[]> {
    return tracingClient.withSpan("ArmVaultInspector.listRoleAssignments", options, (updated) =>
      this.#listRoleAssignments(vaultResourceId, principalId, updated),
    );
  }

  async #listRoleAssignments(vaultResourceId: string, principalId: string, options: LookupOptions): Promise<RoleAssignmentRef[]> {
    const { subscriptionId } = parseVaultId(vaultResourceId);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(principalId)) {
      throw new InvalidTriageArgumentError(`"${principalId}" is not a GUID: role assignments are listed by principal object id. Pass the principal's object id.`);
    }
    const client = this.#authorizationClient(subscriptionId);
    const wanted = principalId.toLowerCase();
    const all = await shareInFlight(this.#scopeReads, vaultResourceId.toLowerCase(), () => this.#listScope(client, vaultResourceId, shared(options)), options.abortSignal);
    const refs: RoleAssignmentRef[] = [];
    for (const raw of all) {
      if (raw.principalId.toLowerCase() !== wanted) continue;
      const custom = describeRole(raw.roleDefinitionId) === undefined ? await this.#customRole(client, raw.roleDefinitionId, options) : undefined;
      refs.push(toRoleAssignmentRef(raw, vaultResourceId, custom));
    }
    return refs;
  }

  /** Every role assignment at, above and below the vault (one listing, whichever principals are asked about). */
  async #listScope(client: AuthorizationManagementClient, vaultResourceId: string, options: LookupOptions): Promise<ScopeAssignment[]> {
    logger.info(`GET role assignments at ${vaultResourceId}`);
    const all: ScopeAssignment[] = [];
    for await (const assignment of client.roleAssignments.listForScope(vaultResourceId, options)) {
      if (assignment.id === undefined || assignment.roleDefinitionId === undefined || assignment.principalId === undefined) continue;
      all.push({
        id: assignment.id,
        scope: assignment.scope ?? assignment.id.split("/providers/Microsoft.Authorization/")[0] ?? "/",
        roleDefinitionId: assignment.roleDefinitionId,
        principalId: assignment.principalId,
        ...(assignment.name === undefined ? {} : { name: assignment.name }),
        ...(assignment.principalType === undefined ? {} : { principalType: assignment.principalType }),
        ...(assignment.condition === undefined ? {} : { condition: assignment.condition }),
      });
    }
    return all;
  }

  #customRole(client: AuthorizationManagementClient, roleDefinitionId: string, options: LookupOptions): Promise<RolePermissions | undefined> {
    const key = roleDefinitionGuid(roleDefinitionId);
    let cached = this.#customRoles.get(key);
    if (cached === undefined) {
      logger.info(`GET role definition ${roleDefinitionId}`);
      cached = client.roleDefinitions.getById(roleDefinitionId, options).then(
        (definition) => {
          const permissions = definition.permissions ?? [];
          const result: RolePermissions = {
            actions: permissions.flatMap((p) => p.actions ?? []),
            notActions: permissions.flatMap((p) => p.notActions ?? []),
            dataActions: permissions.flatMap((p) => p.dataActions ?? []),
            notDataActions: permissions.flatMap((p) => p.notDataActions ?? []),
          };
          if (definition.roleName !== undefined) result.name = definition.roleName;
          return result;
        },
        // An unreadable definition is classified conservatively (reaches everything) rather than failing the lookup.
        () => {
          logger.verbose(`role definition ${roleDefinitionId} unreadable: classified as reaching everything`);
          return undefined;
        },
      );
      this.#customRoles.set(key, cached);
    }
    return cached;
  }

  #vaultClient(subscriptionId: string): KeyVaultManagementClient {
    let client = this.#vaultClients.get(subscriptionId);
    if (client === undefined) {
      client = new KeyVaultManagementClient(this.#credential, subscriptionId, this.#clientOptions());
      this.#vaultClients.set(subscriptionId, client);
    }
    return client;
  }

  #authorizationClient(subscriptionId: string): AuthorizationManagementClient {
    let client = this.#authorizationClients.get(subscriptionId);
    if (client === undefined) {
      client = new AuthorizationManagementClient(this.#credential, subscriptionId, this.#clientOptions());
      this.#authorizationClients.set(subscriptionId, client);
    }
    return client;
  }

  #clientOptions(): Omit<ArmVaultInspectorOptions, "endpoint"> & { endpoint?: string } {
    const { endpoint, ...rest } = withKeywardenUserAgent(this.#options, "triage", packageVersion);
    return endpoint === undefined ? { ...rest } : { ...rest, endpoint };
  }
}

function parseVaultId(vaultResourceId: string): { subscriptionId: string; resourceGroup: string; name: string } {
  const match = VAULT_ID.exec(vaultResourceId);
  if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined) {
    throw new InvalidTriageArgumentError(
      `"${vaultResourceId}" is not a Key Vault resource id. Pass /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}.`,
    );
  }
  return { subscriptionId: match[1], resourceGroup: match[2], name: match[3] };
}

/** Maps the ARM vault to what triage needs; a null `enableRbacAuthorization` means access policies (Azure's rule). */
export function describeVault(vault: Vault, requestedId: string): VaultDescription {
  const properties = vault.properties;
  const acls = properties.networkAcls;
  const publicNetworkAccess = properties.publicNetworkAccess?.toLowerCase() === "disabled" ? "Disabled" : "Enabled";
  const defaultAction = acls?.defaultAction?.toLowerCase() === "deny" ? "Deny" : "Allow";
  const firewall: FirewallState = {
    enabled: defaultAction === "Deny" || publicNetworkAccess === "Disabled",
    defaultAction,
    bypass: acls?.bypass?.toLowerCase() === "none" ? "None" : "AzureServices",
    publicNetworkAccess,
    ipRules: (acls?.ipRules ?? []).map((rule) => rule.value),
    virtualNetworkRules: (acls?.virtualNetworkRules ?? []).map((rule) => rule.id),
    approvedPrivateEndpoints: (properties.privateEndpointConnections ?? []).filter(
      (connection) => connection.privateLinkServiceConnectionState?.status?.toLowerCase() === "approved",
    ).length,
  };
  const accessPolicies: AccessPolicyEntry[] = (properties.accessPolicies ?? []).map((entry) => {
    const result: AccessPolicyEntry = { tenantId: entry.tenantId, objectId: entry.objectId, permissions: {} };
    if (entry.applicationId !== undefined) result.applicationId = entry.applicationId;
    // Casing is kept exactly as stored: accessPolicies/remove matches permission names case-sensitively.
    if (entry.permissions.keys !== undefined) result.permissions.keys = [...entry.permissions.keys];
    if (entry.permissions.secrets !== undefined) result.permissions.secrets = [...entry.permissions.secrets];
    if (entry.permissions.certificates !== undefined) result.permissions.certificates = [...entry.permissions.certificates];
    if (entry.permissions.storage !== undefined) result.permissions.storage = [...entry.permissions.storage];
    return result;
  });
  const description: VaultDescription = {
    resourceId: vault.id ?? requestedId,
    name: vault.name ?? requestedId.split("/").pop() ?? requestedId,
    tenantId: properties.tenantId.toLowerCase(),
    authorization: properties.enableRbacAuthorization === true ? "rbac" : "access-policy",
    firewall,
    accessPolicies,
    enablePurgeProtection: properties.enablePurgeProtection === true,
    enableSoftDelete: properties.enableSoftDelete !== false,
  };
  if (vault.location !== undefined) description.location = vault.location;
  if (properties.vaultUri !== undefined) description.vaultUri = properties.vaultUri;
  return description;
}

/**
 * `create()`'s promise, shared with every caller that asks for `key` while it is in flight; dropped once settled,
 * so a later lookup reads again (caching across time is the lookup cache's job, with its TTL). Each caller's own
 * abort signal ends its wait, not the shared request.
 */
function shareInFlight<T>(inFlight: Map<string, Promise<T>>, key: string, create: () => Promise<T>, abortSignal: LookupOptions["abortSignal"]): Promise<T> {
  let request = inFlight.get(key);
  if (request === undefined) {
    request = create().finally(() => inFlight.delete(key));
    inFlight.set(key, request);
  }
  return untilAborted(request, abortSignal);
}

/** A caller's options for a request other callers share: its tracing and timeout, not its abort signal. */
function shared(options: LookupOptions): LookupOptions {
  const { abortSignal: _abortSignal, ...rest } = options;
  return rest;
}
