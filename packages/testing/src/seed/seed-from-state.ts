import type { FakeClock } from "../state/fake-clock.js";
import type { CertificateObject, KeyObject, SecretObject } from "../state/data-plane-types.js";
import type { TenantState, VaultState } from "../state/tenant-state.js";
import { builtInRoleDefinitions } from "../arm/built-in-role-definitions.js";
import { builtInDirectoryRoleDefinitions } from "../graph/built-in-directory-roles.js";
import type { FakeAzureSeed, SeedCertificate, SeedKey, SeedSecret, SeedVaultData } from "./seed-types.js";

function secretToSeed(secret: SecretObject): SeedSecret {
  return structuredClone({
    name: secret.name,
    versions: secret.versions,
    ...(secret.visibleAt === undefined ? {} : { visibleAt: secret.visibleAt }),
  });
}

function keyToSeed(key: KeyObject): SeedKey {
  return structuredClone({
    name: key.name,
    versions: key.versions,
    ...(key.rotationPolicy ? { rotationPolicy: key.rotationPolicy } : {}),
    ...(key.visibleAt === undefined ? {} : { visibleAt: key.visibleAt }),
  });
}

function certificateToSeed(certificate: CertificateObject): SeedCertificate {
  return structuredClone({
    name: certificate.name,
    versions: certificate.versions,
    ...(certificate.policy ? { policy: certificate.policy } : {}),
    ...(certificate.pending ? { pending: certificate.pending } : {}),
    ...(certificate.visibleAt === undefined ? {} : { visibleAt: certificate.visibleAt }),
  });
}

function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

/** One vault's data plane in the seed format. */
function vaultDataToSeed(vault: VaultState): SeedVaultData {
  const data: SeedVaultData = {
    secrets: nonEmpty([...vault.secrets.values()].map(secretToSeed)),
    keys: nonEmpty([...vault.keys.values()].map(keyToSeed)),
    certificates: nonEmpty([...vault.certificates.values()].map(certificateToSeed)),
    deletedSecrets: nonEmpty(
      [...vault.deletedSecrets.values()].map((d) => ({
        ...secretToSeed(d.object),
        deletedDate: d.deletedDate,
        scheduledPurgeDate: d.scheduledPurgeDate,
        ...(d.visibleAt === undefined ? {} : { deletedVisibleAt: d.visibleAt }),
      }))
    ),
    deletedKeys: nonEmpty(
      [...vault.deletedKeys.values()].map((d) => ({
        ...keyToSeed(d.object),
        deletedDate: d.deletedDate,
        scheduledPurgeDate: d.scheduledPurgeDate,
        ...(d.visibleAt === undefined ? {} : { deletedVisibleAt: d.visibleAt }),
      }))
    ),
    deletedCertificates: nonEmpty(
      [...vault.deletedCertificates.values()].map((d) => ({
        ...certificateToSeed(d.object),
        deletedDate: d.deletedDate,
        scheduledPurgeDate: d.scheduledPurgeDate,
        ...(d.visibleAt === undefined ? {} : { deletedVisibleAt: d.visibleAt }),
      }))
    ),
    settings: { ...vault.settings },
  };
  return JSON.parse(JSON.stringify(data)) as SeedVaultData;
}

/**
 * Serialises a tenant back to the seed format, so `stateFromSeed(seedFromState(state))` rebuilds the same tenant
 * (the CLI sandbox persists itself between processes this way). Built-in role definitions are left out: every
 * tenant has them. Secret values are included: the seed is the tenant.
 */
export function seedFromState(state: TenantState, clock: FakeClock): FakeAzureSeed {
  const builtInRoles = new Set(builtInRoleDefinitions().map((d) => d.name.toLowerCase()));
  const builtInDirectoryRoles = new Map(builtInDirectoryRoleDefinitions().map((d) => [d.id.toLowerCase(), JSON.stringify(d)]));
  const vaultData: Record<string, SeedVaultData> = {};
  for (const vault of state.vaults.values()) vaultData[vault.resource.name] = vaultDataToSeed(vault);
  const seed: FakeAzureSeed = {
    tenantId: state.tenantId,
    time: clock.iso(),
    subscriptions: [...state.subscriptions.values()].map((s) => ({
      subscriptionId: s.subscriptionId,
      displayName: s.displayName,
      ...(s.state ? { state: s.state } : {}),
    })),
    ...(state.managementGroups.size === 0
      ? {}
      : {
          managementGroups: [...state.managementGroups.values()].map((group) => ({
            name: group.name,
            displayName: group.displayName,
            ...(group.parent === undefined ? {} : { parent: group.parent }),
            subscriptions: [...group.subscriptions],
          })),
        }),
    resourceGroups: [...state.resourceGroups.values()].map((g) => ({ id: g.id, name: g.name, location: g.location })),
    vaults: [...state.vaults.values()].map((v) => structuredClone(v.resource)),
    vaultData,
    deletedVaults: [...state.deletedVaults.values()].map((d) => ({
      vault: structuredClone(d.vault.resource),
      deletionDate: d.deletionDate,
      scheduledPurgeDate: d.scheduledPurgeDate,
      vaultData: vaultDataToSeed(d.vault),
    })),
    alerts: [...state.alerts.values()].map((a) => structuredClone(a)),
    suppressionRules: [...state.suppressionRules.values()].map((r) => structuredClone(r)),
    securityContacts: [...state.securityContacts.values()].map((c) => structuredClone(c)),
    roleAssignments: [...state.roleAssignments.values()].map((r) => structuredClone(r)),
    roleDefinitions: [...state.roleDefinitions.values()]
      .filter((d) => !builtInRoles.has(d.name.toLowerCase()))
      .map((d) => structuredClone(d)),
    directory: {
      users: [...state.directory.users.values()].map((u) => structuredClone(u)),
      servicePrincipals: [...state.directory.servicePrincipals.values()].map((s) => structuredClone(s)),
      groups: [...state.directory.groups.values()].map((g) => structuredClone(g)),
      applications: [...state.directory.applications.values()].map((a) => structuredClone(a)),
      managers: [...state.directory.managers.entries()].map(([userId, managerId]) => ({ userId, managerId })),
      owners: [...state.directory.owners.entries()].map(([objectId, ownerIds]) => ({ objectId, ownerIds: [...ownerIds] })),
      sentMail: structuredClone(state.directory.sentMail),
      roleAssignments: [...state.directory.roleAssignments.values()].map((a) => structuredClone(a)),
      roleEligibilityScheduleInstances: [...state.directory.roleEligibilityScheduleInstances.values()].map((a) => structuredClone(a)),
      roleDefinitions: [...state.directory.roleDefinitions.values()]
        .filter((d) => builtInDirectoryRoles.get(d.id.toLowerCase()) !== JSON.stringify(d))
        .map((d) => structuredClone(d)),
    },
    workspaces: [...state.workspaces.values()].map((w) => ({
      id: w.resource.id,
      name: w.resource.name,
      ...(w.resource.location ? { location: w.resource.location } : {}),
      properties: structuredClone(w.resource.properties),
      tables: Object.fromEntries(
        [...w.tables.values()].map((t) => [
          t.name,
          { ...(t.columns ? { columns: structuredClone(t.columns) } : {}), rows: structuredClone(t.rows) },
        ])
      ),
    })),
    diagnosticSettings: [...state.diagnosticSettings.values()].map((d) => structuredClone(d)),
    serviceTags: structuredClone(state.serviceTags),
    publicIpAddresses: [...state.publicIpAddresses.values()].map((address) => structuredClone(address)),
    network: { ...state.network },
  };
  // JSON round trip: drops undefined, and proves the seed is plain JSON.
  return JSON.parse(JSON.stringify(seed)) as FakeAzureSeed;
}
