/** The parts of an ARM resource id the fake routes on. Segment names compare case-insensitively, as ARM does. */
export interface ArmIdParts {
  subscriptionId?: string;
  resourceGroup?: string;
  /** Resource provider namespace, e.g. `Microsoft.KeyVault`. */
  provider?: string;
  /** The top-level resource type under the provider, e.g. `vaults`. */
  resourceType?: string;
  /** The top-level resource name. */
  name?: string;
  /** Child segments after the top-level resource (`type/name` pairs). */
  children: string[];
}

export function parseArmId(id: string): ArmIdParts | undefined {
  if (!id.startsWith("/")) return undefined;
  const segments = id
    .split("/")
    .slice(1)
    .filter((segment) => segment.length > 0);
  const parts: ArmIdParts = { children: [] };
  let i = 0;
  if (segments[i]?.toLowerCase() === "subscriptions") {
    parts.subscriptionId = segments[i + 1];
    if (parts.subscriptionId === undefined) return undefined;
    i += 2;
  }
  if (segments[i]?.toLowerCase() === "resourcegroups") {
    parts.resourceGroup = segments[i + 1];
    if (parts.resourceGroup === undefined) return undefined;
    i += 2;
  }
  if (segments[i]?.toLowerCase() === "providers") {
    parts.provider = segments[i + 1];
    parts.resourceType = segments[i + 2];
    parts.name = segments[i + 3];
    parts.children = segments.slice(i + 4);
  } else if (i < segments.length) {
    return undefined;
  }
  return parts;
}

/** Whether `scope` is `ancestor` or below it (ARM scopes are case-insensitive; `/` is the root of everything). */
export function isScopeAtOrBelow(scope: string, ancestor: string): boolean {
  const s = scope.toLowerCase().replace(/\/+$/u, "");
  const a = ancestor.toLowerCase().replace(/\/+$/u, "");
  return a === "" || s === a || s.startsWith(`${a}/`);
}
