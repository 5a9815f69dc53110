/**
 * ARM resource ids as people expect to read them. Defender spells the ids in alerts in upper case
 * (`/SUBSCRIPTIONS/6A0F…/RESOURCEGROUPS/RG-PAYMENTS/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PAYMENTS`); ARM ids are
 * case-insensitive, so for display they are normalised to ARM's canonical casing: segment keys as ARM writes them
 * (`subscriptions`, `resourceGroups`, `providers`), known provider namespaces (`Microsoft.KeyVault`), and the
 * subscription GUID, group and resource names in lower case unless a better spelling (the vault as read from ARM)
 * is known. Plans and journals keep the exact ids they act on; this is for the screen and the report only.
 */

const segmentKeys = new Map(
  ["subscriptions", "resourceGroups", "providers", "locations", "alerts", "vaults", "secrets", "keys", "certificates", "workspaces", "managedHSMs"].map(
    (key) => [key.toLowerCase(), key] as const,
  ),
);

const namespaces = new Map(
  ["Microsoft.KeyVault", "Microsoft.Security", "Microsoft.OperationalInsights", "Microsoft.Authorization", "Microsoft.Insights"].map(
    (namespace) => [namespace.toLowerCase(), namespace] as const,
  ),
);

export interface CanonicalIdOptions {
  /** Ids read from ARM (for example the vault's own `id`), whose spelling wins for the part of the id they cover. */
  known?: readonly string[];
}

/** `id` in ARM's canonical casing for display; anything that is not an ARM id is returned unchanged. */
export function canonicalResourceId(id: string, options: CanonicalIdOptions = {}): string {
  if (!id.startsWith("/") || !/^\/subscriptions\//i.test(id)) return id;
  for (const known of options.known ?? []) {
    if (known !== "" && id.toLowerCase().startsWith(known.toLowerCase()) && (id.length === known.length || id[known.length] === "/")) {
      return `${known}${canonicalTail(id.slice(known.length))}`;
    }
  }
  return canonicalTail(id);
}

/** `/key/value/key/value...`: keys (odd positions) in ARM's spelling, values in lower case, namespaces as published. */
function canonicalTail(path: string): string {
  const parts = path.split("/");
  // A tail after a known prefix starts at a key when the prefix ended at a value, which `known` ids always do.
  return parts
    .map((part, index) => {
      if (index === 0) return part;
      if (index % 2 === 1) return segmentKeys.get(part.toLowerCase()) ?? part.toLowerCase();
      if ((parts[index - 1] ?? "").toLowerCase() === "providers") return namespaces.get(part.toLowerCase()) ?? part;
      return part.toLowerCase();
    })
    .join("/");
}
