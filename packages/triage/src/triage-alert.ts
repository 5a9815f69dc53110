import type { KeyVaultAlert } from "@keywarden/alerts";
import { decideResponse } from "./decide-response.js";
import { identifySource } from "./identify-source.js";
import { logTriageDecision } from "./log-triage-decision.js";
import { createLookupCache } from "./lookup-cache.js";
import type { TriageContext } from "./triage-context.js";
import type { TriagePolicy } from "./triage-policy.js";
import type { TriageReport } from "./triage-report.js";

/**
 * Steps 1 and 2 of Microsoft's guidance for one alert: identify the source (concurrent, cached lookups), then
 * decide the response with the rules. Missing or failing evidence is named in the report, never thrown (unless
 * `context.strict`).
 *
 * @example
 * const report = await triageAlert(alert, { tenantId, directory, vaults, network }, { trustedIpRanges: ["203.0.113.0/24"] });
 * console.log(formatTriageReport(report));
 */
export async function triageAlert(alert: KeyVaultAlert, context: TriageContext = {}, policy?: TriagePolicy): Promise<TriageReport> {
  const source = await identifySource(alert, context);
  const options: Parameters<typeof decideResponse>[2] = { now: context.now?.() ?? new Date() };
  if (policy !== undefined) options.policy = policy;
  if (context.rules !== undefined) options.rules = context.rules;
  if (context.tenantAddressSpace !== undefined) options.tenantAddressSpace = context.tenantAddressSpace;
  const report = decideResponse(alert, source, options);
  // Logged here rather than in decideResponse, which stays pure (no side effects) for replays and benchmarks.
  logTriageDecision(report);
  return report;
}

export interface TriageAlertsOptions {
  /** How many alerts are looked up at once. Default 16. */
  concurrency?: number;
}

/**
 * Triages many alerts with one shared lookup cache (a burst about 20 vaults costs 20 vault reads, not one per
 * alert). Reports come back in input order.
 */
export async function triageAlerts(
  alerts: Iterable<KeyVaultAlert>,
  context: TriageContext = {},
  policy?: TriagePolicy,
  options: TriageAlertsOptions = {},
): Promise<TriageReport[]> {
  const list = [...alerts];
  const shared: TriageContext = { ...context, cache: context.cache ?? createLookupCache() };
  const results: TriageReport[] = new Array<TriageReport>(list.length);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 16));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < list.length) {
      const index = next++;
      const alert = list[index];
      if (alert !== undefined) results[index] = await triageAlert(alert, shared, policy);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, () => worker()));
  return results;
}
