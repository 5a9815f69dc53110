const safeSegment = /^[\w.()-]{1,128}$/;

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
  const hash = link.indexOf("#");
  const parts = (hash >= 0 ? link.slice(hash + 1) : link).split(/[/?&=]/);
  const valueAfter = (key: string): string | undefined => {
    const index = parts.findIndex((part) => part.toLowerCase() === key);
    if (index < 0) return undefined;
    let value = parts[index + 1];
    if (value === undefined) return undefined;
    try {
      value = decodeURIComponent(value);
    } catch {
      return undefined;
    }
    return safeSegment.test(value) ? value : undefined;
  };
  const subscriptionId = valueAfter("subscriptionid");
  const location = valueAfter("location");
  if (subscriptionId === undefined || location === undefined) return undefined;
  const resourceGroup = valueAfter("resourcegroup");
  const scope = resourceGroup === undefined ? `/subscriptions/${subscriptionId}` : `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
  return `${scope}/providers/Microsoft.Security/locations/${location}/alerts/${name}`;
}
