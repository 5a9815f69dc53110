import type { FakeAzure } from "@keywarden/testing";
import { ROTATION_TAG } from "../../src/index.js";

/** The tenant state the response actions touch, without timestamps or generated ids, for equality checks. */
export function responseState(tenant: FakeAzure) {
  const vaults = [...tenant.state.vaults.values()].map((vault) => {
    const properties = vault.resource.properties;
    const acls = properties.networkAcls;
    return {
      name: vault.resource.name,
      networkAcls:
        acls === undefined
          ? null
          : {
              defaultAction: acls.defaultAction,
              bypass: acls.bypass,
              ipRules: (acls.ipRules ?? []).map((rule) => rule.value).sort(),
              virtualNetworkRules: (acls.virtualNetworkRules ?? []).map((rule) => rule.id.toLowerCase()).sort(),
            },
      accessPolicies: (properties.accessPolicies ?? [])
        .map((entry) => ({ ...entry, permissions: Object.fromEntries(Object.entries(entry.permissions).map(([group, values]) => [group, [...(values ?? [])].sort()])) }))
        .sort((a, b) => `${a.objectId}|${a.applicationId ?? ""}`.localeCompare(`${b.objectId}|${b.applicationId ?? ""}`)),
      secrets: Object.fromEntries(
        [...vault.secrets.values()].map((secret) => [
          secret.name,
          secret.versions.map((version) => ({ enabled: version.attributes.enabled !== false, rotated: version.tags?.[ROTATION_TAG] !== undefined })),
        ]),
      ),
      deletedSecrets: [...vault.deletedSecrets.values()].map((deleted) => deleted.object.name).sort(),
      keys: Object.fromEntries([...vault.keys.values()].map((key) => [key.name, key.versions.length])),
    };
  });
  return {
    vaults,
    roleAssignments: [...tenant.state.roleAssignments.values()].map((assignment) => assignment.name).sort(),
    revokedUsers: [...tenant.state.directory.users.values()].filter((user) => user.signInSessionsValidFromDateTime).map((user) => user.id).sort(),
    alerts: [...tenant.state.alerts.values()].map((alert) => alert.properties.status),
  };
}
