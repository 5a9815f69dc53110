import { type JsonObject } from "../../src/parse/json-value.js";

/**
 * `pick` as it was before the inline ASCII fold (`candidate.toLowerCase() === lower`), kept as the reference
 * of the differential test.
 */
export function pickReference(obj: JsonObject, key: string): unknown {
  const exact = obj[key];
  if (exact !== undefined && Object.hasOwn(obj, key)) return exact;
  const length = key.length;
  let lower: string | undefined;
  for (const candidate in obj) {
    if (candidate.length !== length || candidate === key) continue;
    lower ??= key.toLowerCase();
    if (candidate.toLowerCase() === lower && Object.hasOwn(obj, candidate)) return obj[candidate];
  }
  return undefined;
}

/** The regex `isVaultId` in build-alert.ts replaced. */
export function isVaultIdReference(value: string): boolean {
  return /\/providers\/microsoft\.keyvault\/vaults\/[^/]+\/?$/i.test(value);
}
