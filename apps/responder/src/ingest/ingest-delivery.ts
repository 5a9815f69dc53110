import { randomUUID } from "node:crypto";

import { parseAlertId, parseAlertsSettled, type KeyVaultAlert } from "@keywarden/alerts";

import type { ResponderStore } from "../store/store-types.js";

export type IngestOutcome =
  | { ok: true; incidents: Array<{ incidentId: string; created: boolean; systemAlertId: string }> }
  | { ok: false; reason: string; replayed?: boolean };

export interface IngestOptions {
  /** A signed delivery's replay key: remembered once the delivery is valid; seen before, it is refused. */
  replay?: { key: string; expiresAt: number } | undefined;
}

/**
 * Parses a delivery (any channel shape `@keywarden/alerts` reads, one alert or a list) and records one incident per
 * distinct system alert id, with its queue item, in one transaction each. Nothing is stored unless the whole
 * delivery parses: a malformed payload never creates an incident.
 */
export async function ingestDelivery(store: ResponderStore, body: unknown, now: number, options: IngestOptions = {}): Promise<IngestOutcome> {
  let parsed: { alerts: KeyVaultAlert[]; errors: Array<{ message: string; path?: string }> };
  try {
    parsed = parseAlertsSettled(body, { keyVaultOnly: true });
  } catch (error) {
    return { ok: false, reason: `not an alert: ${(error as Error).message}` };
  }
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0]!;
    return { ok: false, reason: `not an alert${first.path === undefined ? "" : ` at ${first.path}`}: ${first.message}` };
  }
  if (parsed.alerts.length === 0) return { ok: false, reason: "no Defender for Key Vault alert in the body" };
  if (parsed.alerts.length > 500) return { ok: false, reason: "at most 500 alerts per delivery" };
  for (const alert of parsed.alerts) {
    if (parseAlertId(alert.id) === undefined) return { ok: false, reason: "an alert carries no Defender alert id (…/providers/Microsoft.Security/locations/{location}/alerts/{name}) to re-read it by" };
  }
  const incidents: Array<{ incidentId: string; created: boolean; systemAlertId: string }> = [];
  const seen = new Map<string, { incidentId: string; created: boolean }>();
  for (const alert of parsed.alerts) {
    const systemAlertId = alert.systemAlertId.toLowerCase();
    const earlier = seen.get(systemAlertId);
    if (earlier !== undefined) {
      incidents.push({ incidentId: earlier.incidentId, created: false, systemAlertId });
      continue;
    }
    // The delivery is remembered in the first alert's transaction: one commit for the usual one-alert push.
    const replay = incidents.length === 0 ? options.replay : undefined;
    const result = await store.ingest({
      id: `inc_${randomUUID()}`,
      alertId: alert.id,
      systemAlertId,
      vaultResourceId: alert.vault.resourceId.toLowerCase(),
      vaultName: alert.vault.name,
      kind: alert.kind,
      severity: alert.severity,
      displayName: alert.displayName,
      pushedAlert: alert,
      receivedAt: now,
    }, replay);
    if (result.replayed === true) return { ok: false, reason: "replayed delivery: this signature was already accepted", replayed: true };
    seen.set(systemAlertId, result);
    incidents.push({ ...result, systemAlertId });
  }
  return { ok: true, incidents };
}
