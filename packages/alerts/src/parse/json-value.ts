/** Small, allocation-free readers for untrusted JSON. */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Reads `key` from `obj`, falling back to a case-insensitive match: the same field arrives as `severity`,
 * `Severity` or `SEVERITY` depending on the channel and on who re-serialised it (Logic Apps, SIEM connectors).
 * Candidates of another length are skipped before any case fold; `toLowerCase` (native) measured faster than an
 * inline ASCII fold in JavaScript, which is kept as the differential reference under test/reference/.
 */
export function pick(obj: JsonObject, key: string): unknown {
  const exact = obj[key];
  if (exact !== undefined && Object.hasOwn(obj, key)) return exact;
  const length = key.length;
  let lower: string | undefined;
  // for...in allocates nothing; a miss is the common case for optional fields.
  for (const candidate in obj) {
    if (candidate.length !== length || candidate === key) continue;
    lower ??= key.toLowerCase();
    if (candidate.toLowerCase() === lower && Object.hasOwn(obj, candidate)) return obj[candidate];
  }
  return undefined;
}

/**
 * `pick` for a key known at the call site, which passes `obj[key]` as `exact`: a property read written with a
 * literal key gets its own inline cache (alerts of one channel share a shape), where `pick`'s computed read is
 * generic. Same result as `pick(obj, key)`.
 */
export function pickKnown(obj: JsonObject, key: string, exact: unknown): unknown {
  if (exact !== undefined && Object.hasOwn(obj, key)) return exact;
  return pick(obj, key);
}

/** `true` when `obj` has `key` (any casing) holding `null`. */
export function hasNull(obj: JsonObject, key: string): boolean {
  const exact = obj[key];
  if (exact === null) return Object.hasOwn(obj, key);
  if (exact !== undefined) return false;
  return pick(obj, key) === null && Object.keys(obj).some((candidate) => candidate.toLowerCase() === key.toLowerCase());
}

/** A non-empty trimmed string, or `undefined`. */
export function text(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** JSON path of `key` under `base`: `$.a.b` for identifiers, `$.a["attacker IP Address"]` otherwise. */
const identifier = /^[A-Za-z_$][\w$]*$/;

/** Keys repeat across alerts, so their path suffixes (`.key` / `["a key"]`) are memoized, up to a bound. */
const suffixes = new Map<string, string>();

export function childPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  let suffix = suffixes.get(key);
  if (suffix === undefined) {
    suffix = identifier.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    if (suffixes.size < 2048) suffixes.set(key, suffix);
  }
  return base + suffix;
}
