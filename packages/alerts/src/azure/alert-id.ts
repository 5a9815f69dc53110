import { parseResourceId } from "../helpers/resource-id.js";

/** The parts of a `Microsoft.Security/locations/alerts` id that the Alerts API needs. */
export interface ParsedAlertId {
  subscriptionId: string;
  /** Present for resource-group-level alerts (the API has separate operations for them). */
  resourceGroup?: string;
  /** The ASC location that stores the alert (`ascLocation`), e.g. `centralus`. */
  location: string;
  /** The alert name (equals `systemAlertId` in real data). */
  name: string;
}

const safeSegment = /^[\w.()-]{1,256}$/;

/**
 * Splits an alert's ARM id (`/subscriptions/{s}[/resourceGroups/{rg}]/providers/Microsoft.Security/locations/
 * {loc}/alerts/{name}`). Acting through the id avoids rebuilding paths and picking the wrong
 * subscription/resource-group variant. Returns `undefined` for anything else.
 */
export function parseAlertId(id: string): ParsedAlertId | undefined {
  const parsed = parseResourceId(id);
  if (parsed === undefined || parsed.type?.toLowerCase() !== "microsoft.security/locations/alerts") return undefined;
  const location = parsed.segments[0]!.name;
  const name = parsed.segments[1]!.name;
  const parts = [parsed.subscriptionId, location, name, ...(parsed.resourceGroup === undefined ? [] : [parsed.resourceGroup])];
  if (!parts.every((part) => safeSegment.test(part))) return undefined;
  const result: ParsedAlertId = { subscriptionId: parsed.subscriptionId, location, name };
  if (parsed.resourceGroup !== undefined) result.resourceGroup = parsed.resourceGroup;
  return result;
}
