/**
 * Normalizes an extended-property key for lookup: case, spaces, underscores and hyphens are ignored, so
 * `attacker IP Address` (REST), `Attacker IP Address` (export) and `attackerIpAddress` all match.
 */
export function normalizePropertyKey(key: string): string {
  let out = "";
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    // skip space, tab, '_' and '-'
    if (c === 32 || c === 9 || c === 95 || c === 45) continue;
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : key[i];
  }
  return out;
}

function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/**
 * Reads an alert's extended property ignoring case and spacing (`"Attacker IP Address"` finds
 * `"attacker IP Address"`). Numbers and booleans are returned as strings; other values, missing keys and a
 * non-object `props` give `undefined`.
 */
export function getExtendedProperty(props: unknown, key: string): string | undefined {
  if (typeof props !== "object" || props === null || Array.isArray(props)) return undefined;
  const record = props as Record<string, unknown>;
  if (Object.hasOwn(record, key)) return asText(record[key]);
  const wanted = normalizePropertyKey(key);
  for (const candidate of Object.keys(record)) {
    if (normalizePropertyKey(candidate) === wanted) return asText(record[candidate]);
  }
  return undefined;
}
