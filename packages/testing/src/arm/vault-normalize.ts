import type { NetworkRuleSet, VaultProperties } from "../state/arm-types.js";

/**
 * What Key Vault does to the network rules it stores: a bare IPv4 address becomes a `/32` range and subnet ids are
 * lower-cased (spec example `createVaultWithNetworkAcls.json`; azure-cli#21330). Code that compares rules it sent
 * with rules it reads back must cope with this, so the fake does it too.
 */
export function normalizeNetworkAcls(acls: NetworkRuleSet): NetworkRuleSet {
  const normalized: NetworkRuleSet = { ...acls };
  if (acls.ipRules) {
    normalized.ipRules = acls.ipRules.map((rule) => ({ ...rule, value: normalizeIpRule(rule.value) }));
  }
  if (acls.virtualNetworkRules) {
    normalized.virtualNetworkRules = acls.virtualNetworkRules.map((rule) => ({ ...rule, id: rule.id.toLowerCase() }));
  }
  return normalized;
}

export function normalizeIpRule(value: string): string {
  const trimmed = value.trim();
  return trimmed.includes("/") ? trimmed : `${trimmed}/32`;
}

export function normalizeVaultProperties(properties: VaultProperties): VaultProperties {
  return properties.networkAcls ? { ...properties, networkAcls: normalizeNetworkAcls(properties.networkAcls) } : properties;
}
