import { HttpResponse } from "msw";
import type { ArmAccessPolicyEntry, NetworkRuleSet, Vault, VaultProperties } from "../state/arm-types.js";
import type { DeletedVaultState, VaultState } from "../state/tenant-state.js";
import { createVaultState } from "../state/vault-state.js";
import { parseArmId } from "./arm-id.js";
import { ACCESS_POLICY_PERMISSIONS } from "./access-policy-permissions.js";
import { updateAccessPolicies } from "./access-policy-update.js";
import { armFail, pageOf, readArmJson, type ArmCall } from "./arm-call.js";
import { armPath, type ArmRoute } from "./arm-route.js";
import { normalizeNetworkAcls, normalizeVaultProperties } from "./vault-normalize.js";

/** arm-keyvault 5.0.0 sends 2026-02-01. */
const API_VERSIONS = ["2019-09-01", "2021-10-01", "2022-07-01", "2023-02-01", "2023-07-01", "2024-11-01", "2026-02-01"] as const;
const RG = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}";
const VAULT = `${RG}/providers/Microsoft.KeyVault/vaults/{vaultName}`;
const VAULT_NAME = /^[a-zA-Z0-9-]{3,24}$/u;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;

function vaultId(call: ArmCall): string {
  const { subscriptionId = "", resourceGroupName = "", vaultName = "" } = call.params;
  return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.KeyVault/vaults/${vaultName}`;
}

function findVault(call: ArmCall): Vault {
  const vault = call.ctx.state.vaults.get(vaultId(call));
  if (!vault) {
    armFail(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.KeyVault/vaults/${call.params["vaultName"] ?? ""}' under resource group '${
        call.params["resourceGroupName"] ?? ""
      }' was not found.`
    );
  }
  return vault.resource;
}

function badRequest(message: string): never {
  armFail(400, "BadRequest", message);
}

function validateAccessPolicies(value: unknown, where: string, max: number): ArmAccessPolicyEntry[] {
  if (!Array.isArray(value)) badRequest(`${where} must be an array of access policy entries.`);
  if (value.length > max) badRequest(`${where} has ${value.length} entries; at most ${max} are allowed.`);
  return value.map((raw: unknown, i) => {
    const at = `${where}[${i}]`;
    if (typeof raw !== "object" || raw === null) badRequest(`${at} must be an object.`);
    const entry = raw as Record<string, unknown>;
    if (typeof entry["tenantId"] !== "string" || !GUID.test(entry["tenantId"])) badRequest(`${at}.tenantId must be a GUID.`);
    if (typeof entry["objectId"] !== "string" || entry["objectId"].length === 0) badRequest(`${at}.objectId is required.`);
    if (
      entry["applicationId"] !== undefined &&
      entry["applicationId"] !== null &&
      (typeof entry["applicationId"] !== "string" || !GUID.test(entry["applicationId"]))
    ) {
      badRequest(`${at}.applicationId must be a GUID.`);
    }
    const permissions = entry["permissions"];
    if (typeof permissions !== "object" || permissions === null) badRequest(`${at}.permissions is required.`);
    const result: ArmAccessPolicyEntry["permissions"] = {};
    for (const [kind, values] of Object.entries(permissions)) {
      const allowed = ACCESS_POLICY_PERMISSIONS[kind as keyof typeof ACCESS_POLICY_PERMISSIONS] as readonly string[] | undefined;
      if (!allowed) badRequest(`${at}.permissions.${kind} is not a permission kind; use keys, secrets, certificates or storage.`);
      if (!Array.isArray(values) || !values.every((v) => typeof v === "string"))
        badRequest(`${at}.permissions.${kind} must be an array of strings.`);
      for (const v of values) {
        if (!allowed.includes(v.toLowerCase()))
          badRequest(`${at}.permissions.${kind} contains '${v}', which is not a valid ${kind} permission.`);
      }
      result[kind as keyof ArmAccessPolicyEntry["permissions"]] = [...values];
    }
    return {
      tenantId: entry["tenantId"],
      objectId: entry["objectId"],
      ...(typeof entry["applicationId"] === "string" ? { applicationId: entry["applicationId"] } : {}),
      permissions: result,
    };
  });
}

function validateNetworkAcls(value: unknown): NetworkRuleSet {
  if (typeof value !== "object" || value === null) badRequest("properties.networkAcls must be an object.");
  const acls = value as Record<string, unknown>;
  if (acls["defaultAction"] !== undefined && acls["defaultAction"] !== "Allow" && acls["defaultAction"] !== "Deny") {
    badRequest(`properties.networkAcls.defaultAction ${JSON.stringify(acls["defaultAction"])} is invalid; use 'Allow' or 'Deny'.`);
  }
  if (acls["bypass"] !== undefined && acls["bypass"] !== "AzureServices" && acls["bypass"] !== "None") {
    badRequest(`properties.networkAcls.bypass ${JSON.stringify(acls["bypass"])} is invalid; use 'AzureServices' or 'None'.`);
  }
  if (acls["ipRules"] !== undefined) {
    if (!Array.isArray(acls["ipRules"])) badRequest("properties.networkAcls.ipRules must be an array.");
    acls["ipRules"].forEach((rule: unknown, i) => {
      const ip = (rule as { value?: unknown } | null)?.value;
      if (typeof ip !== "string" || !/^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/u.test(ip.trim())) {
        badRequest(`properties.networkAcls.ipRules[${i}].value '${String(ip)}' is not an IPv4 address or CIDR range.`);
      }
    });
  }
  if (acls["virtualNetworkRules"] !== undefined) {
    if (!Array.isArray(acls["virtualNetworkRules"])) badRequest("properties.networkAcls.virtualNetworkRules must be an array.");
    acls["virtualNetworkRules"].forEach((rule: unknown, i) => {
      if (typeof (rule as { id?: unknown } | null)?.id !== "string")
        badRequest(`properties.networkAcls.virtualNetworkRules[${i}].id is required.`);
    });
  }
  return normalizeNetworkAcls(acls);
}

/** Rules Key Vault enforces on every write, given the stored vault (if any) and the merged result. */
function checkIrreversible(before: VaultProperties | undefined, after: VaultProperties): void {
  if (before?.enableSoftDelete !== false && after.enableSoftDelete === false && before !== undefined) {
    badRequest(
      "The property \"enableSoftDelete\" cannot be set to false. Enabling the 'soft delete' functionality is an irreversible action."
    );
  }
  if (after.enablePurgeProtection === false && (before === undefined || before.enablePurgeProtection === true)) {
    badRequest(
      'The property "enablePurgeProtection" cannot be set to false. Enabling the purge protection for a vault is an irreversible action.'
    );
  }
  const retention = after.softDeleteRetentionInDays;
  if (retention !== undefined && (!Number.isInteger(retention) || retention < 7 || retention > 90)) {
    badRequest(`The property "softDeleteRetentionInDays" must be between 7 and 90; got ${String(retention)}.`);
  }
}

const PATCHABLE: ReadonlySet<string> = new Set([
  "tenantId",
  "sku",
  "accessPolicies",
  "enabledForDeployment",
  "enabledForDiskEncryption",
  "enabledForTemplateDeployment",
  "enableSoftDelete",
  "enableRbacAuthorization",
  "softDeleteRetentionInDays",
  "createMode",
  "enablePurgeProtection",
  "networkAcls",
  "publicNetworkAccess",
]);

function touch(vault: Vault, call: ArmCall, created: boolean): void {
  const now = call.ctx.clock.iso();
  const by = call.caller.upn ?? call.caller.appid;
  const byType = call.caller.idtyp === "user" ? "User" : "Application";
  vault.systemData = {
    ...(created ? { createdBy: by, createdByType: byType, createdAt: now } : vault.systemData),
    lastModifiedBy: by,
    lastModifiedByType: byType,
    lastModifiedAt: now,
  };
}

async function patchVault(call: ArmCall): Promise<Response> {
  const vault = findVault(call);
  const body = await readArmJson(call);
  const patch = (body["properties"] ?? {}) as Record<string, unknown>;
  if (typeof patch !== "object" || Array.isArray(patch)) badRequest("properties must be an object.");
  const next: VaultProperties = { ...vault.properties };
  for (const [key, value] of Object.entries(patch)) {
    if (!PATCHABLE.has(key)) badRequest(`properties.${key} cannot be updated with PATCH.`);
    // "If null or not specified, the value of this property will not change."
    if (value === null || value === undefined) continue;
    if (key === "accessPolicies") next.accessPolicies = validateAccessPolicies(value, "properties.accessPolicies", 16);
    else if (key === "networkAcls") {
      // ARM PATCH: the object merges, but any array sent replaces the stored array.
      next.networkAcls = normalizeNetworkAcls({ ...vault.properties.networkAcls, ...validateNetworkAcls(value) });
    } else next[key] = value;
  }
  checkIrreversible(vault.properties, next);
  vault.properties = next;
  if (body["tags"] !== undefined && body["tags"] !== null) vault.tags = { ...(body["tags"] as Record<string, string>) };
  touch(vault, call, false);
  return HttpResponse.json(vault);
}

interface PendingOperation {
  remainingPolls: number;
  startTime: string;
}

function putVault(operations: Map<string, PendingOperation>) {
  return async (call: ArmCall): Promise<Response> => {
    const name = call.params["vaultName"] ?? "";
    if (!VAULT_NAME.test(name)) {
      badRequest(
        `The vault name '${name}' is invalid. A vault's name must be between 3-24 alphanumeric characters and may contain dashes.`
      );
    }
    const body = await readArmJson(call);
    if (typeof body["location"] !== "string" || body["location"].length === 0) badRequest("The 'location' property is required.");
    const properties = body["properties"] as Record<string, unknown> | undefined;
    if (typeof properties !== "object" || properties === null) badRequest("The 'properties' property is required.");
    if (typeof properties["tenantId"] !== "string" || !GUID.test(properties["tenantId"]))
      badRequest("properties.tenantId is required and must be a GUID.");
    const sku = properties["sku"] as { family?: unknown; name?: unknown } | undefined;
    if (sku?.family !== "A" || (sku.name !== "standard" && sku.name !== "premium")) {
      badRequest("properties.sku is required: { family: 'A', name: 'standard' | 'premium' }.");
    }
    const id = vaultId(call);
    const state = call.ctx.state;
    const deleted = state.deletedVaults.get(name);
    if (properties["createMode"] === "recover") {
      if (!deleted) armFail(404, "DeletedVaultNotFound", `There is no soft-deleted vault named '${name}' to recover.`);
      return recoverVault(call, deleted.vault, operations);
    }
    if (deleted) {
      armFail(409, "ConflictError", `A vault with the same name already exists in deleted state. You need to either recover or purge existing key vault '${name}'.`);
    }
    const existing = state.vaults.get(id);
    for (const other of state.vaults.values()) {
      if (other !== existing && other.resource.name.toLowerCase() === name.toLowerCase()) {
        armFail(
          409,
          "VaultAlreadyExists",
          `The vault name '${name}' is already in use. Vault names are globally unique so it is possible that the name is already taken.`
        );
      }
    }
    const next: VaultProperties = {
      ...(properties as VaultProperties),
      sku: { family: "A", name: sku.name },
      accessPolicies:
        properties["accessPolicies"] === undefined
          ? []
          : validateAccessPolicies(properties["accessPolicies"], "properties.accessPolicies", 1024),
      ...(properties["networkAcls"] === undefined ? {} : { networkAcls: validateNetworkAcls(properties["networkAcls"]) }),
    };
    delete next.createMode;
    if (!existing) {
      next.enableSoftDelete ??= true;
      next.softDeleteRetentionInDays ??= 90;
      // 2026-02-01 made RBAC the default for new vaults (access-control-default).
      next.enableRbacAuthorization ??= call.apiVersion >= "2026-02-01";
      next.enabledForDeployment ??= false;
      next.enabledForDiskEncryption ??= false;
      next.enabledForTemplateDeployment ??= false;
      next.publicNetworkAccess ??= "Enabled";
    } else {
      next.enableSoftDelete ??= existing.resource.properties.enableSoftDelete;
      next.softDeleteRetentionInDays ??= existing.resource.properties.softDeleteRetentionInDays;
      if (existing.resource.properties.enablePurgeProtection === true) next.enablePurgeProtection ??= true;
      if (next.enableRbacAuthorization === undefined)
        next.enableRbacAuthorization = existing.resource.properties.enableRbacAuthorization ?? null;
    }
    checkIrreversible(existing?.resource.properties, next);
    next.vaultUri = existing?.resource.properties.vaultUri ?? `https://${name.toLowerCase()}.${call.ctx.vaultDnsSuffix}/`;
    next.provisioningState = "Succeeded";
    const resource: Vault = {
      id: existing?.resource.id ?? id,
      name: existing?.resource.name ?? name,
      type: "Microsoft.KeyVault/vaults",
      location: body["location"],
      ...(body["tags"] ? { tags: { ...(body["tags"] as Record<string, string>) } } : {}),
      ...(existing?.resource.systemData ? { systemData: existing.resource.systemData } : {}),
      properties: normalizeVaultProperties(next),
    };
    touch(resource, call, !existing);
    if (existing) existing.resource = resource;
    else {
      state.vaults.set(id, createVaultState(resource, state.vaultDefaults));
      const rgId = `/subscriptions/${call.params["subscriptionId"] ?? ""}/resourceGroups/${call.params["resourceGroupName"] ?? ""}`;
      if (!state.resourceGroups.has(rgId))
        state.resourceGroups.set(rgId, { id: rgId, name: call.params["resourceGroupName"] ?? "", location: resource.location });
    }
    return longRunningVaultAnswer(call, resource, operations, existing ? 200 : 201);
  };
}

/**
 * A long-running operation: the first answer says the DNS name is still registering; the operation status URL
 * reports InProgress once, then Succeeded, and the poller's final GET reads the vault.
 */
function longRunningVaultAnswer(call: ArmCall, resource: Vault, operations: Map<string, PendingOperation>, status: number): Response {
  const operationId = call.ctx.ids.guid();
  operations.set(operationId, { remainingPolls: 1, startTime: call.ctx.clock.iso() });
  const statusUrl = new URL(call.url.href);
  const subscriptionId = call.params["subscriptionId"] ?? "";
  statusUrl.pathname = `/subscriptions/${subscriptionId}/providers/Microsoft.KeyVault/locations/${resource.location}/operationResults/${operationId}`;
  statusUrl.search = `?api-version=${call.apiVersion}`;
  const initial = structuredClone(resource);
  initial.properties.provisioningState = "RegisteringDns";
  return HttpResponse.json(initial, { status, headers: { "azure-asyncoperation": statusUrl.href } });
}

/** `createMode: recover`: the soft-deleted vault comes back where it was, with its data plane. */
function recoverVault(call: ArmCall, vault: VaultState, operations: Map<string, PendingOperation>): Response {
  const state = call.ctx.state;
  if (vault.resource.id.toLowerCase() !== vaultId(call).toLowerCase()) {
    badRequest(`The soft-deleted vault '${vault.resource.name}' belonged to '${vault.resource.id}'; recover it into the same subscription and resource group.`);
  }
  state.deletedVaults.delete(vault.resource.name);
  touch(vault.resource, call, false);
  state.vaults.set(vault.resource.id, vault);
  return longRunningVaultAnswer(call, vault.resource, operations, 200);
}

function deletedVaultResource(call: ArmCall, deleted: DeletedVaultState): Record<string, unknown> {
  const { resource } = deleted.vault;
  const subscriptionId = parseArmId(resource.id)?.subscriptionId ?? call.params["subscriptionId"] ?? "";
  return {
    id: `/subscriptions/${subscriptionId}/providers/Microsoft.KeyVault/locations/${resource.location}/deletedVaults/${resource.name}`,
    name: resource.name,
    type: "Microsoft.KeyVault/deletedVaults",
    properties: {
      vaultId: resource.id,
      location: resource.location,
      deletionDate: deleted.deletionDate,
      scheduledPurgeDate: deleted.scheduledPurgeDate,
      ...(resource.tags ? { tags: resource.tags } : {}),
      purgeProtectionEnabled: resource.properties.enablePurgeProtection === true,
    },
  };
}

/** DELETE: a soft delete when soft delete is on (the name stays reserved), else gone for good. */
function deleteVault(call: ArmCall): Response {
  const state = call.ctx.state;
  const id = vaultId(call);
  const vault = state.vaults.get(id);
  if (!vault) return new HttpResponse(null, { status: 204 });
  state.vaults.delete(id);
  if (vault.resource.properties.enableSoftDelete !== false) {
    const now = call.ctx.clock.now();
    const retentionDays = vault.resource.properties.softDeleteRetentionInDays ?? 90;
    state.deletedVaults.set(vault.resource.name, {
      vault,
      deletionDate: new Date(now).toISOString(),
      scheduledPurgeDate: new Date(now + retentionDays * 86_400_000).toISOString(),
    });
  }
  return new HttpResponse(null, { status: 200 });
}

function findDeletedVault(call: ArmCall): DeletedVaultState {
  const deleted = call.ctx.state.deletedVaults.get(call.params["vaultName"] ?? "");
  if (!deleted || deleted.vault.resource.location.toLowerCase() !== (call.params["location"] ?? "").toLowerCase()) {
    armFail(404, "DeletedVaultNotFound", `The deleted vault '${call.params["vaultName"] ?? ""}' was not found in location '${call.params["location"] ?? ""}'.`);
  }
  return deleted;
}

function purgeDeletedVault(call: ArmCall): Response {
  const deleted = findDeletedVault(call);
  if (deleted.vault.resource.properties.enablePurgeProtection === true) {
    // Unverified code; the message is what PowerShell shows (MicrosoftDocs/azure-docs#55427).
    armFail(
      409,
      "ConflictError",
      `Operation 'DeletedVaultPurge' is not allowed. Vault '${deleted.vault.resource.name}' has purge protection enabled; it is purged automatically on ${deleted.scheduledPurgeDate}.`,
    );
  }
  call.ctx.state.deletedVaults.delete(deleted.vault.resource.name);
  return new HttpResponse(null, { status: 200 });
}

function operationStatus(operations: Map<string, PendingOperation>) {
  return (call: ArmCall): Response => {
    const id = call.params["operationId"] ?? "";
    const operation = operations.get(id);
    if (!operation) armFail(404, "OperationNotFound", `The operation '${id}' was not found.`);
    if (operation.remainingPolls > 0) {
      operation.remainingPolls -= 1;
      return HttpResponse.json({ id: call.path, name: id, status: "InProgress", startTime: operation.startTime });
    }
    return HttpResponse.json({
      id: call.path,
      name: id,
      status: "Succeeded",
      startTime: operation.startTime,
      endTime: call.ctx.clock.iso(),
    });
  };
}

async function updateAccessPolicy(call: ArmCall): Promise<Response> {
  const kind = call.params["operationKind"] ?? "";
  if (kind !== "add" && kind !== "replace" && kind !== "remove") {
    badRequest(`The access policy operation kind '${kind}' is invalid; use 'add', 'replace' or 'remove'.`);
  }
  const vault = findVault(call);
  const body = await readArmJson(call);
  const properties = body["properties"] as { accessPolicies?: unknown } | undefined;
  if (typeof properties !== "object" || properties === null) badRequest("The 'properties' property is required.");
  const changes = validateAccessPolicies(properties.accessPolicies, "properties.accessPolicies", 1024);
  vault.properties.accessPolicies = updateAccessPolicies(vault.properties.accessPolicies ?? [], kind, changes);
  touch(vault, call, false);
  return HttpResponse.json({
    id: `${vault.id}/accessPolicies/${kind}`,
    type: "Microsoft.KeyVault/vaults/accessPolicies",
    location: vault.location,
    properties: { accessPolicies: changes },
  });
}

function vaultsIn(call: ArmCall): Vault[] {
  const { subscriptionId = "", resourceGroupName } = call.params;
  const prefix =
    resourceGroupName === undefined
      ? `/subscriptions/${subscriptionId}/`
      : `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroupName}/`;
  let vaults = [...call.ctx.state.vaults.values()]
    .map((v) => v.resource)
    .filter((v) => v.id.toLowerCase().startsWith(prefix.toLowerCase()));
  const top = call.url.searchParams.get("$top");
  if (top !== null) {
    const n = Number.parseInt(top, 10);
    if (!Number.isInteger(n) || n < 1) badRequest(`$top '${top}' must be a positive integer.`);
    vaults = vaults.slice(0, n);
  }
  return vaults;
}

function listGenericResources(call: ArmCall): Response {
  const filter = call.url.searchParams.get("$filter") ?? "";
  if (!/^resourceType eq 'Microsoft\.KeyVault\/vaults'$/iu.test(filter.trim())) {
    armFail(
      400,
      "FakeAzureUnsupportedRequest",
      `The fake Azure tenant lists generic resources only with $filter=resourceType eq 'Microsoft.KeyVault/vaults' (got '${filter}').`
    );
  }
  const resources = vaultsIn(call).map((v) => ({
    id: v.id,
    name: v.name,
    type: v.type,
    location: v.location,
    ...(v.tags ? { tags: v.tags } : {}),
  }));
  return HttpResponse.json(pageOf(call, resources));
}

export function keyVaultRoutes(): ArmRoute[] {
  const operations = new Map<string, PendingOperation>();
  return [
    {
      operation: "Vaults_Get",
      method: "GET",
      path: armPath(VAULT),
      apiVersions: API_VERSIONS,
      needsResourceGroup: true,
      handle: (call) => HttpResponse.json(findVault(call)),
    },
    {
      operation: "Vaults_Update",
      method: "PATCH",
      path: armPath(VAULT),
      apiVersions: API_VERSIONS,
      needsResourceGroup: true,
      handle: patchVault,
    },
    {
      operation: "Vaults_CreateOrUpdate",
      method: "PUT",
      path: armPath(VAULT),
      apiVersions: API_VERSIONS,
      needsResourceGroup: true,
      handle: putVault(operations),
    },
    {
      operation: "Vaults_UpdateAccessPolicy",
      method: "PUT",
      path: armPath(`${VAULT}/accessPolicies/{operationKind}`),
      apiVersions: API_VERSIONS,
      needsResourceGroup: true,
      handle: updateAccessPolicy,
    },
    {
      operation: "Vaults_ListBySubscription",
      method: "GET",
      path: armPath("/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/vaults"),
      apiVersions: API_VERSIONS,
      handle: (call) => HttpResponse.json(pageOf(call, vaultsIn(call))),
    },
    {
      operation: "Vaults_ListByResourceGroup",
      method: "GET",
      path: armPath(`${RG}/providers/Microsoft.KeyVault/vaults`),
      apiVersions: API_VERSIONS,
      needsResourceGroup: true,
      handle: (call) => HttpResponse.json(pageOf(call, vaultsIn(call))),
    },
    {
      operation: "Vaults_List (Resources_List)",
      method: "GET",
      path: armPath("/subscriptions/{subscriptionId}/resources"),
      apiVersions: ["2015-11-01", "2021-04-01"],
      handle: listGenericResources,
    },
    { operation: "Vaults_Delete", method: "DELETE", path: armPath(VAULT), apiVersions: API_VERSIONS, needsResourceGroup: true, handle: deleteVault },
    {
      operation: "Vaults_ListDeleted",
      method: "GET",
      path: armPath("/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/deletedVaults"),
      apiVersions: API_VERSIONS,
      handle: (call) => {
        const subscriptionId = (call.params["subscriptionId"] ?? "").toLowerCase();
        const items = [...call.ctx.state.deletedVaults.values()]
          .filter((d) => parseArmId(d.vault.resource.id)?.subscriptionId?.toLowerCase() === subscriptionId)
          .map((d) => deletedVaultResource(call, d));
        return HttpResponse.json(pageOf(call, items));
      },
    },
    {
      operation: "Vaults_GetDeleted",
      method: "GET",
      path: armPath("/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{vaultName}"),
      apiVersions: API_VERSIONS,
      handle: (call) => HttpResponse.json(deletedVaultResource(call, findDeletedVault(call))),
    },
    {
      operation: "Vaults_PurgeDeleted",
      method: "POST",
      path: armPath("/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/locations/{location}/deletedVaults/{vaultName}/purge"),
      apiVersions: API_VERSIONS,
      handle: purgeDeletedVault,
    },
    {
      operation: "Vaults operation status",
      method: "GET",
      path: armPath("/subscriptions/{subscriptionId}/providers/Microsoft.KeyVault/locations/{location}/operationResults/{operationId}"),
      apiVersions: API_VERSIONS,
      handle: operationStatus(operations),
    },
  ];
}
