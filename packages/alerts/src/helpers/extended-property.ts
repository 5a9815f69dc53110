/**
 * Normalizes an extended-property key for lookup: case, spaces, underscores and hyphens are ignored, so
 * `attacker IP Address` (REST), `Attacker IP Address` (export) and `attackerIpAddress` all match.
 */
const separators = /[\s_-]/;
const allSeparators = /[\s_-]+/g;

/** Keys repeat across alerts (a dozen spellings in practice), so normalized forms are memoized, up to a bound. */
const cache = new Map<string, string>();
const cacheLimit = 2048;

export function normalizePropertyKey(key: string): string {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const lower = key.toLowerCase();
  const normalized = separators.test(lower) ? lower.replace(allSeparators, "") : lower;
  if (cache.size < cacheLimit) cache.set(key, normalized);
  return normalized;
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
