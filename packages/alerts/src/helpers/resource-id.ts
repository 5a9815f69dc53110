/** An ARM resource id split into its parts. Casing is kept as received. */
export interface ParsedResourceId {
  /** The id as received, without a trailing slash. */
  id: string;
  subscriptionId: string;
  /** Absent for subscription-scoped resources. */
  resourceGroup?: string;
  /** The resource provider namespace, e.g. `Microsoft.KeyVault` (absent for a subscription or resource group id). */
  provider?: string;
  /** The full resource type, e.g. `Microsoft.KeyVault/vaults` or `Microsoft.KeyVault/vaults/secrets`. */
  type?: string;
  /** The last resource name, e.g. the vault name. */
  name?: string;
  /** Every `type/name` pair after the provider, outermost first (`[{type:"vaults",name:"kv"},{type:"secrets",...}]`). */
  segments: { type: string; name: string }[];
  /** `true` when the subscription id is a well-formed GUID (sanitised samples sometimes carry short ones). */
  subscriptionIdIsGuid: boolean;
}

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `true` when `value` is a GUID in the 8-4-4-4-12 form. */
export function isGuid(value: string): boolean {
  return value.length === 36 && guidPattern.test(value);
}

/**
 * `part.toLowerCase() === keyword` without allocating, for lower-case ASCII keywords. Exact for keywords without a
 * `k` (U+212A KELVIN SIGN lower-cases to `k`; no other non-ASCII character lower-cases to an ASCII letter).
 */
function isKeyword(part: string | undefined, keyword: "subscriptions" | "resourcegroups" | "providers"): boolean {
  if (part === undefined || part.length !== keyword.length) return false;
  for (let i = 0; i < keyword.length; i++) {
    const code = part.charCodeAt(i);
    const expected = keyword.charCodeAt(i);
    if (code !== expected && !(code >= 65 && code <= 90 && code + 32 === expected)) return false;
  }
  return true;
}

/**
 * Splits an ARM resource id (`/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}]`).
 * Keywords (`subscriptions`, `resourceGroups`, `providers`) are matched case-insensitively, as ARM does.
 *
 * Returns `undefined` for anything that is not an ARM id, so it can be used on untrusted alert data.
 */
export function parseResourceId(id: string): ParsedResourceId | undefined {
  if (typeof id !== "string") return undefined;
  let text = id.trim();
  while (text.endsWith("/")) text = text.slice(0, -1);
  if (!text.startsWith("/")) return undefined;
  const parts = text.slice(1).split("/");
  if (parts.length < 2 || !isKeyword(parts[0], "subscriptions")) return undefined;
  const subscriptionId = parts[1]!;
  for (const part of parts) if (part === "") return undefined;
  const result: ParsedResourceId = {
    id: text,
    subscriptionId,
    segments: [],
    subscriptionIdIsGuid: isGuid(subscriptionId),
  };
  let index = 2;
  if (isKeyword(parts[index], "resourcegroups")) {
    const resourceGroup = parts[index + 1];
    if (resourceGroup === undefined) return undefined;
    result.resourceGroup = resourceGroup;
    index += 2;
  }
  if (index === parts.length) return result;
  if (!isKeyword(parts[index], "providers")) return undefined;
  const provider = parts[index + 1];
  if (provider === undefined) return undefined;
  result.provider = provider;
  index += 2;
  const rest = parts.length - index;
  if (rest < 2 || rest % 2 !== 0) return undefined;
  let fullType = provider;
  for (; index < parts.length; index += 2) {
    const type = parts[index]!;
    const name = parts[index + 1]!;
    result.segments.push({ type, name });
    fullType += `/${type}`;
  }
  result.type = fullType;
  result.name = result.segments[result.segments.length - 1]!.name;
  return result;
}

function canonical(id: string): string {
  let text = id.trim();
  while (text.endsWith("/")) text = text.slice(0, -1);
  return text.toLowerCase();
}

/**
 * Compares two ARM resource ids the way ARM does: case-insensitively, ignoring a trailing slash.
 * `undefined` or empty ids never equal anything.
 */
export function resourceIdEquals(a: string | undefined, b: string | undefined): boolean {
  if (typeof a !== "string" || typeof b !== "string" || a.trim() === "" || b.trim() === "") return false;
  return canonical(a) === canonical(b);
}

/** `true` when `id` is the id of a Key Vault (`Microsoft.KeyVault/vaults/{name}`, any casing). */
export function isKeyVaultResourceId(id: string): boolean {
  const parsed = parseResourceId(id);
  return parsed?.type?.toLowerCase() === "microsoft.keyvault/vaults";
}
