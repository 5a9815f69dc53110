/** The hand-written scan that `src/parse/channels/portal-link.ts` replaced (slower than its regexes), kept as the differential reference. */
const safeSegment = /^[\w.()-]{1,128}$/;

/**
 * `true` when `link` holds `marker` (lower-case ASCII) at `at`, ASCII letters in any casing: what a non-unicode
 * `/i` regex matches, since its case folding never maps a non-ASCII character onto an ASCII one.
 */
function markerAt(link: string, at: number, marker: string): boolean {
  for (let i = 0; i < marker.length; i++) {
    let code = link.charCodeAt(at + i);
    if (code >= 65 && code <= 90) code += 32;
    if (code !== marker.charCodeAt(i)) return false;
  }
  return true;
}

/** `/?#&`: where a path segment of the link ends. */
function endsSegment(code: number): boolean {
  return code === 47 || code === 63 || code === 35 || code === 38;
}

/**
 * The first non-empty run after `marker` (`/subscriptionid/`, ...), the way `/\/subscriptionId\/([^/?#&]+)/i.exec`
 * finds it, without a regex scan of the whole link per segment.
 */
function segment(link: string, marker: string): string | undefined {
  const last = link.length - marker.length;
  for (let at = link.indexOf("/"); at !== -1 && at < last; at = link.indexOf("/", at + 1)) {
    if (!markerAt(link, at, marker)) continue;
    const start = at + marker.length;
    let end = start;
    while (end < link.length && !endsSegment(link.charCodeAt(end))) end++;
    if (end === start) continue;
    const raw = link.slice(start, end);
    let value = raw;
    if (raw.includes("%")) {
      try {
        value = decodeURIComponent(raw);
      } catch {
        return undefined;
      }
    }
    return safeSegment.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * Rebuilds an alert's ARM id from its portal deep link (`.../alertId/{id}/subscriptionId/{s}/resourceGroup/{rg}/
 * .../location/{loc}`), the way Microsoft's own playbooks read subscription and resource group from `AlertUri`.
 * Used by channels that carry no ARM id (export, Log Analytics). Every segment is validated, so nothing odd from
 * the payload ends up in a URL path. Returns `undefined` when the link lacks a part.
 */
export function alertIdFromPortalLink(link: unknown, systemAlertId: unknown): string | undefined {
  if (typeof link !== "string" || typeof systemAlertId !== "string") return undefined;
  const name = systemAlertId.trim();
  if (!safeSegment.test(name)) return undefined;
  const subscriptionId = segment(link, "/subscriptionid/");
  const location = segment(link, "/location/");
  if (subscriptionId === undefined || location === undefined) return undefined;
  const resourceGroup = segment(link, "/resourcegroup/");
  const scope = resourceGroup === undefined ? `/subscriptions/${subscriptionId}` : `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
  return `${scope}/providers/Microsoft.Security/locations/${location}/alerts/${name}`;
}
