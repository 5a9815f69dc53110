/**
 * A deep copy of `value` with every string (object and Map values and array items, not keys) replaced by
 * `replace(text, path)`, where `path` is the property names and indexes leading to it. Fills a realistic report,
 * plan or task with hostile text everywhere at once, so a test learns which field a formatter forgot to escape;
 * return `text` for the fields whose value is fixed by a schema (`kind`, `risk`, ...).
 */
export function replaceStrings<T>(value: T, replace: (text: string, path: readonly (string | number)[]) => string): T {
  const visit = (current: unknown, path: (string | number)[]): unknown => {
    if (typeof current === "string") return replace(current, path);
    if (Array.isArray(current)) return current.map((item, index) => visit(item, [...path, index]));
    if (current instanceof Map) return new Map([...current].map(([key, item]) => [key, visit(item, [...path, String(key)])]));
    if (current !== null && typeof current === "object" && !(current instanceof Date)) {
      const copy: Record<string, unknown> = Object.create(Object.getPrototypeOf(current) === null ? null : Object.prototype) as Record<string, unknown>;
      for (const [key, item] of Object.entries(current)) {
        // defineProperty, never assignment: a key named __proto__ stays an own property.
        Object.defineProperty(copy, key, { value: visit(item, [...path, key]), enumerable: true, writable: true, configurable: true });
      }
      return copy;
    }
    return current;
  };
  return visit(value, []) as T;
}
