/** A parsed `$filter` of `RoleAssignments_ListForScope`. */
export interface RoleAssignmentFilter {
  /** `atScope()`: only assignments at or above the scope. */
  atScope: boolean;
  /** `principalId eq '...'` or `assignedTo('...')`. */
  principalId?: string;
}

const CLAUSES: ReadonlyArray<[RegExp, (match: RegExpExecArray, filter: RoleAssignmentFilter) => void]> = [
  [/^atScope\(\)$/iu, (_m, f) => (f.atScope = true)],
  [/^principalId\s+eq\s+'([^']+)'$/iu, (m, f) => (f.principalId = m[1])],
  [/^assignedTo\('([^']+)'\)$/iu, (m, f) => (f.principalId = m[1])],
];

/**
 * Parses the filters ARM documents for role assignments (`atScope()`, `principalId eq '{id}'`, `assignedTo('{id}')`,
 * joined by `and`). Returns an error message for anything else, so a filter the fake does not understand is a 400
 * rather than an unfiltered list.
 */
export function parseRoleAssignmentFilter(text: string | null): RoleAssignmentFilter | { error: string } {
  const filter: RoleAssignmentFilter = { atScope: false };
  if (text === null || text.trim() === "") return filter;
  for (const clause of text.split(/\s+and\s+/iu)) {
    const trimmed = clause.trim();
    const handler = CLAUSES.find(([pattern]) => pattern.test(trimmed));
    if (!handler)
      return {
        error: `The filter '${text}' is not supported: use atScope(), principalId eq '{id}' or assignedTo('{id}'), joined by 'and'.`,
      };
    handler[1](handler[0].exec(trimmed) as RegExpExecArray, filter);
  }
  return filter;
}
