import { type JsonObject } from "../../src/parse/json-value.js";

/**
 * `pick` with the inline ASCII case fold it had before going back to `toLowerCase` (slower), kept as the reference of
 * the differential test. The first non-ASCII character hands over to `toLowerCase`, whose mappings (U+212A KELVIN
 * SIGN -> `k`, U+0130 -> two code units) an inline fold would get wrong.
 */
export function pickReference(obj: JsonObject, key: string): unknown {
  const exact = obj[key];
  if (exact !== undefined && Object.hasOwn(obj, key)) return exact;
  const length = key.length;
  let lower: string | undefined;
  for (const candidate in obj) {
    if (candidate.length !== length || candidate === key) continue;
    lower ??= key.toLowerCase();
    if (equalsLowerCase(candidate, lower) && Object.hasOwn(obj, candidate)) return obj[candidate];
  }
  return undefined;
}

function equalsLowerCase(candidate: string, lower: string): boolean {
  for (let i = 0; i < candidate.length; i++) {
    let code = candidate.charCodeAt(i);
    if (code >= 128) return candidate.toLowerCase() === lower;
    if (code >= 65 && code <= 90) code += 32;
    if (code !== lower.charCodeAt(i)) return false;
  }
  return true;
}

const vaultMarker = "/providers/microsoft.keyvault/vaults/";

/**
 * The hand-written scan that `isVaultId` in build-alert.ts replaced (slower than its regex), kept as the reference:
 * the last segment (one trailing slash allowed) must directly follow the marker, ASCII letters in any casing.
 */
export function isVaultIdReference(value: string): boolean {
  let end = value.length;
  if (end > 0 && value.charCodeAt(end - 1) === 47) end--;
  const slash = value.lastIndexOf("/", end - 1);
  if (slash === end - 1 || slash < vaultMarker.length - 1) return false;
  const at = slash + 1 - vaultMarker.length;
  for (let i = 0; i < vaultMarker.length; i++) {
    let code = value.charCodeAt(at + i);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== vaultMarker.charCodeAt(i)) return false;
  }
  return true;
}
