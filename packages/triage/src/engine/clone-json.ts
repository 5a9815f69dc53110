/**
 * Deep-copies JSON-shaped data (plain objects, arrays, primitives). Reports are JSON by contract, and this is
 * an order of magnitude faster than `structuredClone` on the small objects triage copies per action.
 */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneJson(item)) as T;
  if (typeof value === "object" && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const key of Object.keys(value)) copy[key] = cloneJson((value as Record<string, unknown>)[key]);
    return copy as T;
  }
  return value;
}
