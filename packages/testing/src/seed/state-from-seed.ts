import { normalizeVaultProperties } from "../arm/vault-normalize.js";
import { builtInRoleDefinitions } from "../arm/built-in-role-definitions.js";
import { defaultServiceTags } from "../arm/default-service-tags.js";
import { builtInDirectoryRoleDefinitions } from "../graph/built-in-directory-roles.js";
import { VAULT_DNS_SUFFIX } from "../hosts.js";
import type { Vault } from "../state/arm-types.js";
import { type CaseInsensitiveMap } from "../state/case-insensitive-map.js";
import type { CertificateObject, DeletedObject, KeyObject, ObjectAttributes, SecretObject, VaultDataPlaneSettings } from "../state/data-plane-types.js";
import type { FakeClock } from "../state/fake-clock.js";
import type { IdGenerator } from "../state/id-generator.js";
import type { LogTable } from "../state/log-types.js";
import { createEmptyTenantState, type TenantState, type VaultState } from "../state/tenant-state.js";
import { createVaultState } from "../state/vault-state.js";
import { parseArmId } from "../arm/arm-id.js";
import { SeedValidationError, type SeedIssue } from "./seed-validation-error.js";
import { seedTimeToUnixSeconds } from "./seed-time.js";
import type { FakeAzureSeed, SeedAttributes, SeedCertificate, SeedDeletion, SeedKey, SeedSecret, SeedVaultData } from "./seed-types.js";

interface BuildContext {
  clock: FakeClock;
  ids: IdGenerator;
  issues: SeedIssue[];
}

function attributesFrom(seed: SeedAttributes | undefined, path: string, ctx: BuildContext): ObjectAttributes {
  const now = ctx.clock.unixSeconds();
  const created = seed?.created === undefined ? now : seedTimeToUnixSeconds(seed.created, `${path}.created`);
  const attributes: ObjectAttributes = {
    enabled: seed?.enabled ?? true,
    created,
    updated: seed?.updated === undefined ? created : seedTimeToUnixSeconds(seed.updated, `${path}.updated`),
  };
  if (seed?.nbf !== undefined) attributes.nbf = seedTimeToUnixSeconds(seed.nbf, `${path}.nbf`);
  if (seed?.exp !== undefined) attributes.exp = seedTimeToUnixSeconds(seed.exp, `${path}.exp`);
  return attributes;
}

function checkVersion(version: string | undefined, path: string, ctx: BuildContext): string {
  if (version === undefined) return ctx.ids.hex32();
  if (!/^[0-9a-f]{32}$/u.test(version)) {
    ctx.issues.push({ path, message: "must be 32 lower-case hex characters (a Key Vault object version)" });
  }
  return version;
}

function secretFrom(seed: SeedSecret, path: string, ctx: BuildContext): SecretObject {
  const secret: SecretObject = {
    name: seed.name,
    versions: seed.versions.map((version, i) => {
      const vpath = `${path}.versions[${i}]`;
      return {
        version: checkVersion(version.version, `${vpath}.version`, ctx),
        value: version.value,
        ...(version.contentType === undefined ? {} : { contentType: version.contentType }),
        ...(version.tags === undefined ? {} : { tags: { ...version.tags } }),
        attributes: attributesFrom(version.attributes, `${vpath}.attributes`, ctx),
        ...(version.kid === undefined ? {} : { kid: version.kid }),
        ...(version.managed === undefined ? {} : { managed: version.managed }),
      };
    }),
  };
  if (seed.visibleAt !== undefined) secret.visibleAt = seed.visibleAt;
  return secret;
}

function fakeBase64Url(ctx: BuildContext, bytes: number): string {
  return Buffer.from(ctx.ids.hex(bytes * 2), "hex").toString("base64url");
}

function keyFrom(seed: SeedKey, path: string, ctx: BuildContext): KeyObject {
  const key: KeyObject = {
    name: seed.name,
    versions: seed.versions.map((version, i) => {
      const vpath = `${path}.versions[${i}]`;
      const { exportable, hsmPlatform, ...plain } = version.attributes ?? {};
      return {
        version: checkVersion(version.version, `${vpath}.version`, ctx),
        key: version.key ?? {
          kty: "RSA",
          key_ops: ["encrypt", "decrypt", "sign", "verify", "wrapKey", "unwrapKey"],
          n: fakeBase64Url(ctx, 256),
          e: "AQAB",
        },
        ...(version.privateKeyPem === undefined ? {} : { privateKeyPem: version.privateKeyPem }),
        ...(version.tags === undefined ? {} : { tags: { ...version.tags } }),
        attributes: {
          ...attributesFrom(plain, `${vpath}.attributes`, ctx),
          ...(exportable === undefined ? {} : { exportable }),
          ...(hsmPlatform === undefined ? {} : { hsmPlatform }),
        },
        ...(version.managed === undefined ? {} : { managed: version.managed }),
      };
    }),
  };
  if (seed.rotationPolicy !== undefined) key.rotationPolicy = structuredClone(seed.rotationPolicy);
  if (seed.visibleAt !== undefined) key.visibleAt = seed.visibleAt;
  return key;
}

function certificateFrom(seed: SeedCertificate, path: string, ctx: BuildContext): CertificateObject {
  const certificate: CertificateObject = {
    name: seed.name,
    versions: seed.versions.map((version, i) => {
      const vpath = `${path}.versions[${i}]`;
      return {
        version: checkVersion(version.version, `${vpath}.version`, ctx),
        cer: version.cer ?? Buffer.from(ctx.ids.hex(128), "hex").toString("base64"),
        x5t: version.x5t ?? fakeBase64Url(ctx, 20),
        ...(version.tags === undefined ? {} : { tags: { ...version.tags } }),
        attributes: attributesFrom(version.attributes, `${vpath}.attributes`, ctx),
      };
    }),
  };
  if (seed.policy !== undefined) certificate.policy = structuredClone(seed.policy);
  if (seed.pending !== undefined) certificate.pending = { ...seed.pending };
  if (seed.visibleAt !== undefined) certificate.visibleAt = seed.visibleAt;
  return certificate;
}

function deletionFrom<T>(object: T, seed: SeedDeletion, vault: Vault, path: string, ctx: BuildContext): DeletedObject<T> {
  const deletedDate =
    seed.deletedDate === undefined ? ctx.clock.unixSeconds() : seedTimeToUnixSeconds(seed.deletedDate, `${path}.deletedDate`);
  const retentionDays = vault.properties.softDeleteRetentionInDays ?? 90;
  const deleted: DeletedObject<T> = {
    object,
    deletedDate,
    scheduledPurgeDate:
      seed.scheduledPurgeDate === undefined
        ? deletedDate + retentionDays * 86_400
        : seedTimeToUnixSeconds(seed.scheduledPurgeDate, `${path}.scheduledPurgeDate`),
  };
  if (seed.deletedVisibleAt !== undefined) deleted.visibleAt = seed.deletedVisibleAt;
  return deleted;
}

/** Management groups: unique names, known parents, no cycle, each subscription in one group at most. */
function loadManagementGroups(state: TenantState, seed: FakeAzureSeed, ctx: BuildContext): void {
  const groups = seed.managementGroups ?? [];
  const owner = new Map<string, string>();
  groups.forEach((group, i) => {
    const path = `$.managementGroups[${i}]`;
    if (!/^[A-Za-z0-9_().-]{1,90}$/u.test(group.name)) {
      ctx.issues.push({ path: `${path}.name`, message: "must be 1-90 letters, digits, '-', '_', '(', ')' or '.'" });
      return;
    }
    if (state.managementGroups.has(group.name) || group.name.toLowerCase() === state.tenantId.toLowerCase()) {
      ctx.issues.push({ path: `${path}.name`, message: `duplicates management group '${group.name}' (the tenant root group is implied)` });
      return;
    }
    for (const subscription of group.subscriptions ?? []) {
      const other = owner.get(subscription.toLowerCase());
      if (other !== undefined) ctx.issues.push({ path: `${path}.subscriptions`, message: `subscription ${subscription} is already in management group '${other}'` });
      owner.set(subscription.toLowerCase(), group.name);
    }
    state.managementGroups.set(group.name, {
      name: group.name,
      displayName: group.displayName ?? group.name,
      ...(group.parent === undefined || group.parent.toLowerCase() === state.tenantId.toLowerCase() ? {} : { parent: group.parent }),
      subscriptions: [...(group.subscriptions ?? [])],
    });
  });
  groups.forEach((group, i) => {
    const stored = state.managementGroups.get(group.name);
    if (stored?.parent === undefined) return;
    if (!state.managementGroups.has(stored.parent)) {
      ctx.issues.push({ path: `$.managementGroups[${i}].parent`, message: `names no management group of the seed ('${stored.parent}')` });
      return;
    }
    const seen = new Set<string>();
    for (let name: string | undefined = stored.name; name !== undefined; name = state.managementGroups.get(name)?.parent) {
      if (seen.has(name.toLowerCase())) {
        ctx.issues.push({ path: `$.managementGroups[${i}].parent`, message: `makes a cycle through '${name}'` });
        return;
      }
      seen.add(name.toLowerCase());
    }
  });
}

function registerScope(state: TenantState, resourceId: string, location: string | undefined): void {
  const parsed = parseArmId(resourceId);
  if (!parsed?.subscriptionId) return;
  if (!state.subscriptions.has(parsed.subscriptionId)) {
    state.subscriptions.set(parsed.subscriptionId, {
      id: `/subscriptions/${parsed.subscriptionId}`,
      subscriptionId: parsed.subscriptionId,
      displayName: `Subscription ${parsed.subscriptionId.slice(0, 8)}`,
      state: "Enabled",
      tenantId: state.tenantId,
    });
  }
  if (parsed.resourceGroup) {
    const rgId = `/subscriptions/${parsed.subscriptionId}/resourceGroups/${parsed.resourceGroup}`;
    if (!state.resourceGroups.has(rgId)) {
      state.resourceGroups.set(rgId, { id: rgId, name: parsed.resourceGroup, location: location ?? "westeurope" });
    }
  }
}

/** Loads one vault's data plane (live and soft-deleted objects, settings) from its seed. */
function fillVaultData(vault: VaultState, data: SeedVaultData, path: string, ctx: BuildContext): void {
  Object.assign(vault.settings, data.settings ?? {});
  const resource = vault.resource;
  const addUnique = <T>(map: CaseInsensitiveMap<T>, name: string, value: T, itemPath: string): void => {
    if (map.has(name)) ctx.issues.push({ path: `${itemPath}.name`, message: `duplicates the name '${name}'` });
    map.set(name, value);
  };
  data.secrets?.forEach((s, i) => addUnique(vault.secrets, s.name, secretFrom(s, `${path}.secrets[${i}]`, ctx), `${path}.secrets[${i}]`));
  data.keys?.forEach((k, i) => addUnique(vault.keys, k.name, keyFrom(k, `${path}.keys[${i}]`, ctx), `${path}.keys[${i}]`));
  data.certificates?.forEach((c, i) => addUnique(vault.certificates, c.name, certificateFrom(c, `${path}.certificates[${i}]`, ctx), `${path}.certificates[${i}]`));
  data.deletedSecrets?.forEach((s, i) => {
    const p = `${path}.deletedSecrets[${i}]`;
    addUnique(vault.deletedSecrets, s.name, deletionFrom(secretFrom(s, p, ctx), s, resource, p, ctx), p);
  });
  data.deletedKeys?.forEach((k, i) => {
    const p = `${path}.deletedKeys[${i}]`;
    addUnique(vault.deletedKeys, k.name, deletionFrom(keyFrom(k, p, ctx), k, resource, p, ctx), p);
  });
  data.deletedCertificates?.forEach((c, i) => {
    const p = `${path}.deletedCertificates[${i}]`;
    addUnique(vault.deletedCertificates, c.name, deletionFrom(certificateFrom(c, p, ctx), c, resource, p, ctx), p);
  });
}

/** Fills in what ARM adds to a stored vault (vaultUri, type, tenantId) and applies Key Vault's normalisations. */
export function completeVaultResource(vault: Vault, tenantId: string, vaultDnsSuffix = VAULT_DNS_SUFFIX): Vault {
  const properties = normalizeVaultProperties({
    ...vault.properties,
    tenantId: vault.properties.tenantId ?? tenantId,
    vaultUri: vault.properties.vaultUri ?? `https://${vault.name.toLowerCase()}.${vaultDnsSuffix}/`,
    provisioningState: vault.properties.provisioningState ?? "Succeeded",
  });
  return { ...vault, type: vault.type ?? "Microsoft.KeyVault/vaults", properties };
}

/**
 * Builds a tenant from a seed that already passed schema validation. Cross-references that a schema cannot
 * express (vaultData naming an unknown vault, duplicate ids, bad versions) are collected and thrown together.
 */
export function stateFromSeed(
  seed: FakeAzureSeed,
  options: { clock: FakeClock; ids: IdGenerator; vaultDefaults?: Partial<VaultDataPlaneSettings> }
): TenantState {
  const ctx: BuildContext = { clock: options.clock, ids: options.ids, issues: [] };
  const state = createEmptyTenantState(seed.tenantId);
  Object.assign(state.vaultDefaults, options.vaultDefaults);

  for (const definition of builtInRoleDefinitions()) state.roleDefinitions.set(definition.name, definition);
  for (const definition of builtInDirectoryRoleDefinitions()) state.directory.roleDefinitions.set(definition.id, definition);
  state.serviceTags = seed.serviceTags
    ? {
        changeNumber: seed.serviceTags.changeNumber ?? "1",
        cloud: seed.serviceTags.cloud ?? "Public",
        values: structuredClone(seed.serviceTags.values),
      }
    : defaultServiceTags();
  if (seed.network?.defaultCallerIp) state.network.defaultCallerIp = seed.network.defaultCallerIp;
  if (seed.network?.callerIpHeader) state.network.callerIpHeader = seed.network.callerIpHeader.toLowerCase();

  seed.subscriptions?.forEach((subscription) => {
    state.subscriptions.set(subscription.subscriptionId, {
      id: `/subscriptions/${subscription.subscriptionId}`,
      subscriptionId: subscription.subscriptionId,
      displayName: subscription.displayName ?? `Subscription ${subscription.subscriptionId.slice(0, 8)}`,
      state: subscription.state ?? "Enabled",
      tenantId: state.tenantId,
    });
  });
  loadManagementGroups(state, seed, ctx);
  seed.resourceGroups?.forEach((group, i) => {
    const parsed = parseArmId(group.id);
    if (!parsed?.resourceGroup || parsed.provider !== undefined) {
      ctx.issues.push({ path: `$.resourceGroups[${i}].id`, message: "must be /subscriptions/{id}/resourceGroups/{name}" });
      return;
    }
    state.resourceGroups.set(group.id, { id: group.id, name: group.name ?? parsed.resourceGroup, location: group.location });
    registerScope(state, group.id, group.location);
  });

  seed.vaults?.forEach((vault, i) => {
    const path = `$.vaults[${i}]`;
    const parsed = parseArmId(vault.id);
    if (parsed?.provider?.toLowerCase() !== "microsoft.keyvault" || parsed.resourceType?.toLowerCase() !== "vaults") {
      ctx.issues.push({ path: `${path}.id`, message: "must be a Microsoft.KeyVault/vaults resource id" });
      return;
    }
    if (parsed.name?.toLowerCase() !== vault.name.toLowerCase()) {
      ctx.issues.push({ path: `${path}.name`, message: `must equal the last segment of the id ('${parsed.name ?? ""}')` });
    }
    if (state.vaults.has(vault.id)) ctx.issues.push({ path: `${path}.id`, message: "duplicates another vault's id" });
    registerScope(state, vault.id, vault.location);
    state.vaults.set(vault.id, createVaultState(completeVaultResource(structuredClone(vault), state.tenantId), state.vaultDefaults));
  });

  for (const [vaultName, data] of Object.entries(seed.vaultData ?? {})) {
    const path = `$.vaultData[${JSON.stringify(vaultName)}]`;
    let vault: VaultState | undefined;
    for (const candidate of state.vaults.values()) {
      if (candidate.resource.name.toLowerCase() === vaultName.toLowerCase()) vault = candidate;
    }
    if (!vault) {
      ctx.issues.push({ path, message: `names no vault in $.vaults (expected the name of a seeded vault)` });
      continue;
    }
    fillVaultData(vault, data, path, ctx);
  }

  seed.deletedVaults?.forEach((deleted, i) => {
    const path = `$.deletedVaults[${i}]`;
    const name = deleted.vault.name;
    const live = [...state.vaults.values()].some((v) => v.resource.name.toLowerCase() === name.toLowerCase());
    if (live || state.deletedVaults.has(name)) ctx.issues.push({ path: `${path}.vault.name`, message: `duplicates the vault name '${name}' (vault names are global)` });
    const vault = createVaultState(completeVaultResource(structuredClone(deleted.vault), state.tenantId), state.vaultDefaults);
    if (deleted.vaultData) fillVaultData(vault, deleted.vaultData, `${path}.vaultData`, ctx);
    const deletionDate = deleted.deletionDate ?? options.clock.iso();
    const retention = vault.resource.properties.softDeleteRetentionInDays ?? 90;
    state.deletedVaults.set(name, {
      vault,
      deletionDate,
      scheduledPurgeDate: deleted.scheduledPurgeDate ?? new Date(Date.parse(deletionDate) + retention * 86_400_000).toISOString(),
    });
  });

  seed.alerts?.forEach((alert, i) => {
    const parsed = parseArmId(alert.id);
    if (!parsed?.subscriptionId || !/\/locations\/[^/]+\/alerts\/[^/]+$/iu.test(alert.id)) {
      ctx.issues.push({
        path: `$.alerts[${i}].id`,
        message: "must be .../providers/Microsoft.Security/locations/{ascLocation}/alerts/{name}",
      });
      return;
    }
    if (state.alerts.has(alert.id)) ctx.issues.push({ path: `$.alerts[${i}].id`, message: "duplicates another alert's id" });
    registerScope(state, alert.id, undefined);
    state.alerts.set(alert.id, structuredClone(alert));
  });
  seed.suppressionRules?.forEach((rule, i) => {
    if (!/^\/subscriptions\/[^/]+\/providers\/Microsoft\.Security\/alertsSuppressionRules\/[^/]+$/iu.test(rule.id)) {
      ctx.issues.push({
        path: `$.suppressionRules[${i}].id`,
        message: "must be /subscriptions/{id}/providers/Microsoft.Security/alertsSuppressionRules/{name}",
      });
      return;
    }
    registerScope(state, rule.id, undefined);
    state.suppressionRules.set(rule.id, structuredClone(rule));
  });
  seed.securityContacts?.forEach((contact, i) => {
    const match = /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Security\/securityContacts\/([^/]+)$/iu.exec(contact.id);
    if (!match) {
      ctx.issues.push({ path: `$.securityContacts[${i}].id`, message: "must be /subscriptions/{s}/providers/Microsoft.Security/securityContacts/{name}" });
      return;
    }
    state.securityContacts.set(contact.id, { ...structuredClone(contact), name: contact.name || (match[2] ?? "default"), type: "Microsoft.Security/securityContacts" });
  });
  seed.roleDefinitions?.forEach((definition) => state.roleDefinitions.set(definition.name, structuredClone(definition)));
  seed.roleAssignments?.forEach((assignment, i) => {
    const match = /^(.*)\/providers\/Microsoft\.Authorization\/roleAssignments\/([^/]+)$/iu.exec(assignment.id);
    if (!match) {
      ctx.issues.push({
        path: `$.roleAssignments[${i}].id`,
        message: "must be {scope}/providers/Microsoft.Authorization/roleAssignments/{name}",
      });
      return;
    }
    const scope = match[1] === "" ? "/" : match[1] ?? "/";
    registerScope(state, scope, undefined);
    const stored = structuredClone(assignment);
    stored.properties.scope ??= scope;
    state.roleAssignments.set(assignment.id, stored);
  });

  const directory = seed.directory ?? {};
  directory.users?.forEach((user) => state.directory.users.set(user.id, structuredClone(user)));
  directory.servicePrincipals?.forEach((sp) => state.directory.servicePrincipals.set(sp.id, structuredClone(sp)));
  directory.groups?.forEach((group) => state.directory.groups.set(group.id, structuredClone(group)));
  directory.applications?.forEach((application) => state.directory.applications.set(application.id, structuredClone(application)));
  directory.managers?.forEach((link) => state.directory.managers.set(link.userId, link.managerId));
  directory.owners?.forEach((ownership) => state.directory.owners.set(ownership.objectId, [...ownership.ownerIds]));
  if (directory.sentMail !== undefined) state.directory.sentMail = structuredClone(directory.sentMail);
  directory.roleAssignments?.forEach((a) => state.directory.roleAssignments.set(a.id, structuredClone(a)));
  directory.roleEligibilityScheduleInstances?.forEach((a) =>
    state.directory.roleEligibilityScheduleInstances.set(a.id, structuredClone(a))
  );
  directory.roleDefinitions?.forEach((d) => state.directory.roleDefinitions.set(d.id, structuredClone(d)));

  seed.workspaces?.forEach((workspace, i) => {
    const tables = new Map<string, LogTable>();
    for (const [name, table] of Object.entries(workspace.tables ?? {})) {
      tables.set(name, { name, ...(table.columns ? { columns: structuredClone(table.columns) } : {}), rows: structuredClone(table.rows) });
    }
    const customerId = workspace.properties.customerId;
    if (state.workspaces.has(customerId))
      ctx.issues.push({ path: `$.workspaces[${i}].properties.customerId`, message: "duplicates another workspace's customerId" });
    registerScope(state, workspace.id, workspace.location);
    state.workspaces.set(customerId, {
      resource: {
        id: workspace.id,
        name: workspace.name ?? parseArmId(workspace.id)?.name ?? customerId,
        ...(workspace.location ? { location: workspace.location } : {}),
        properties: structuredClone(workspace.properties),
      },
      tables,
      failures: [],
    });
  });
  seed.diagnosticSettings?.forEach((setting, i) => {
    if (!/\/providers\/microsoft\.insights\/diagnosticSettings\/[^/]+$/iu.test(setting.id)) {
      ctx.issues.push({
        path: `$.diagnosticSettings[${i}].id`,
        message: "must be {resourceId}/providers/microsoft.insights/diagnosticSettings/{name}",
      });
      return;
    }
    state.diagnosticSettings.set(setting.id, structuredClone(setting));
  });

  seed.publicIpAddresses?.forEach((address, i) => {
    const parsed = parseArmId(address.id);
    if (
      !parsed?.subscriptionId ||
      !parsed.resourceGroup ||
      parsed.provider?.toLowerCase() !== "microsoft.network" ||
      parsed.resourceType?.toLowerCase() !== "publicipaddresses" ||
      !parsed.name ||
      parsed.children.length > 0
    ) {
      ctx.issues.push({
        path: `$.publicIpAddresses[${i}].id`,
        message: "must be /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Network/publicIPAddresses/{name}",
      });
      return;
    }
    if (!state.subscriptions.has(parsed.subscriptionId)) {
      ctx.issues.push({ path: `$.publicIpAddresses[${i}].id`, message: `subscription ${parsed.subscriptionId} is not in $.subscriptions` });
      return;
    }
    const { properties } = address;
    state.publicIpAddresses.set(address.id, {
      ...structuredClone(address),
      type: "Microsoft.Network/publicIPAddresses",
      properties: {
        provisioningState: "Succeeded",
        publicIPAddressVersion: "IPv4",
        publicIPAllocationMethod: "Static",
        idleTimeoutInMinutes: 4,
        ipTags: [],
        ...structuredClone(properties),
      },
    });
  });

  if (ctx.issues.length > 0) throw new SeedValidationError(ctx.issues);
  return state;
}
