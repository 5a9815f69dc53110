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
 * `text.slice(start, stop).toLowerCase() === keyword` without the copy, for lower-case ASCII keywords. Exact for
 * keywords without a `k` (U+212A KELVIN SIGN lower-cases to `k`; no other non-ASCII character lower-cases to an
 * ASCII letter).
 */
function isKeywordAt(text: string, start: number, stop: number, keyword: "subscriptions" | "resourcegroups" | "providers"): boolean {
  if (stop - start !== keyword.length) return false;
  for (let i = 0; i < keyword.length; i++) {
    const code = text.charCodeAt(start + i);
    const expected = keyword.charCodeAt(i);
    if (code !== expected && !(code >= 65 && code <= 90 && code + 32 === expected)) return false;
  }
  return true;
}

/** The index of the `/` that ends the part starting at `start`, or the text's length for the last part. */
function partEnd(text: string, start: number): number {
  const slash = text.indexOf("/", start);
  return slash === -1 ? text.length : slash;
}

/**
 * Splits an ARM resource id (`/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}]`).
 * Keywords (`subscriptions`, `resourceGroups`, `providers`) are matched case-insensitively, as ARM does.
 *
 * Returns `undefined` for anything that is not an ARM id, so it can be used on untrusted alert data.
 *
 * One scan over the text, slicing only the parts it keeps: this runs for every resource an alert names, and the
 * split into an array of parts it replaced cost twice as much (the split version is the differential reference
 * under test/reference/).
 */
export function parseResourceId(id: string): ParsedResourceId | undefined {
  if (typeof id !== "string") return undefined;
  let text = id.trim();
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 47 /* / */) end--;
  if (end !== text.length) text = text.slice(0, end);
  // Not rooted, or an empty part somewhere (the text no longer ends with "/").
  if (text.charCodeAt(0) !== 47 || text.includes("//")) return undefined;
  const length = text.length;
  let stop = partEnd(text, 1);
  if (stop === length || !isKeywordAt(text, 1, stop, "subscriptions")) return undefined;
  let start = stop + 1;
  stop = partEnd(text, start);
  const subscriptionId = text.slice(start, stop);
  const result: ParsedResourceId = {
    id: text,
    subscriptionId,
    segments: [],
    subscriptionIdIsGuid: isGuid(subscriptionId),
  };
  if (stop === length) return result;
  start = stop + 1;
  stop = partEnd(text, start);
  if (isKeywordAt(text, start, stop, "resourcegroups")) {
    if (stop === length) return undefined;
    start = stop + 1;
    stop = partEnd(text, start);
    result.resourceGroup = text.slice(start, stop);
    if (stop === length) return result;
    start = stop + 1;
    stop = partEnd(text, start);
  }
  if (stop === length || !isKeywordAt(text, start, stop, "providers")) return undefined;
  start = stop + 1;
  stop = partEnd(text, start);
  const provider = text.slice(start, stop);
  // Type/name pairs follow the provider: at least one, and never a type without its name.
  if (stop === length) return undefined;
  let fullType = provider;
  let name = "";
  while (stop < length) {
    start = stop + 1;
    stop = partEnd(text, start);
    if (stop === length) return undefined;
    const type = text.slice(start, stop);
    start = stop + 1;
    stop = partEnd(text, start);
    name = text.slice(start, stop);
    result.segments.push({ type, name });
    fullType += `/${type}`;
  }
  result.provider = provider;
  result.type = fullType;
  result.name = name;
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
