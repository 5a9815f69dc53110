/**
 * Matches a request against a fault's pattern.
 * - A `RegExp` is tested against the full URL (query included).
 * - A string starting with `/` is a path glob tested against the path on any host.
 * - Any other string is a URL glob tested against `https://host/path` (no query).
 * In globs `*` matches within one path segment and `**` across segments. Matching is case-insensitive because
 * ARM paths are.
 */
export function compileUrlPattern(pattern: string | RegExp): (url: URL) => boolean {
  if (pattern instanceof RegExp) return (url) => pattern.test(url.href);
  const escaped = pattern
    .split("**")
    .map((part) =>
      part
        .split("*")
        .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/gu, "\\$&"))
        .join("[^/]*")
    )
    .join(".*");
  const regex = new RegExp(`^${escaped}/?$`, "iu");
  const pathOnly = pattern.startsWith("/");
  return (url) => regex.test(pathOnly ? url.pathname : `${url.protocol}//${url.host}${url.pathname}`);
}
