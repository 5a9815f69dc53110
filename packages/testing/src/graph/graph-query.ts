/** The OData query options the fake understands on Graph collections. */
export interface GraphFilter {
  property: string;
  value: string | boolean;
}

/**
 * Parses the `$filter` forms Keywarden and SOAR code send to Graph: `prop eq 'value'` (and `prop eq true|false`)
 * joined by `and`. Anything else is reported so the handler can answer 400 `Request_UnsupportedQuery`.
 */
export function parseGraphFilter(text: string | null): GraphFilter[] | { error: string } {
  if (text === null || text.trim() === "") return [];
  const filters: GraphFilter[] = [];
  for (const clause of text.split(/\s+and\s+/iu)) {
    const match = /^([A-Za-z][\w/]*)\s+eq\s+(?:'((?:[^']|'')*)'|(true|false))$/iu.exec(clause.trim());
    if (!match?.[1])
      return {
        error: `Unsupported or invalid query filter clause specified for property '${clause.trim()}'. The fake supports "property eq 'value'" joined by 'and'.`,
      };
    filters.push({
      property: match[1],
      value: match[2] !== undefined ? match[2].replaceAll("''", "'") : match[3]?.toLowerCase() === "true",
    });
  }
  return filters;
}

function propertyOf(object: Record<string, unknown>, path: string): unknown {
  let current: unknown = object;
  for (const segment of path.split("/")) {
    if (typeof current !== "object" || current === null) return undefined;
    const entry = Object.entries(current).find(([key]) => key.toLowerCase() === segment.toLowerCase());
    current = entry?.[1];
  }
  return current;
}

/** Graph compares string filter values case-insensitively for directory properties. */
export function matchesGraphFilters(object: Record<string, unknown>, filters: readonly GraphFilter[]): boolean {
  return filters.every(({ property, value }) => {
    const actual = propertyOf(object, property);
    if (typeof value === "boolean") return actual === value;
    return typeof actual === "string" && actual.toLowerCase() === value.toLowerCase();
  });
}

/** Applies `$select` (always keeping `id` and `@odata.type`). */
export function selectProperties<T extends Record<string, unknown>>(object: T, select: string | null): Record<string, unknown> {
  if (select === null || select.trim() === "") return object;
  const wanted = new Set(select.split(",").map((s) => s.trim().toLowerCase()));
  wanted.add("id");
  wanted.add("@odata.type");
  return Object.fromEntries(Object.entries(object).filter(([key]) => wanted.has(key.toLowerCase())));
}
