/**
 * Triage benchmarks (run with `npm run bench -w @keywarden/triage`).
 *
 * 1. `triage`: the pure decision step (rules on a pre-loaded source report) for a realistic alert mix,
 *    against `JSON.parse` of the same alerts (the Alerts API JSON Defender sends, ~4 KB each) as the reference
 *    cost. Goal: ratio <= 1.
 * 2. `triage-burst`: 1,000 alerts on 20 vaults through the fake tenant's direct path (its `httpClient`, no msw)
 *    with the real Azure SDK clients, with the per-run lookup cache on, in alerts per second; then 200 of them
 *    uncached: bursts of 32 alerts triaged concurrently, each alert with its own cache, so only batching of
 *    concurrent lookups (Graph `$batch`, shared in-flight vault and role-assignment reads) saves requests. Request
 *    counts are the fake's call log (a `$batch` is one request). Goal: uncached >= 200 alerts/s with <= 2
 *    requests per alert.
 */
import { createFakeAzure, type FakeAzureSeed } from "@keywarden/testing";
import {
  ArmVaultInspector,
  AzureNetworkIntelligence,
  createLookupCache,
  decideResponse,
  GraphDirectory,
  identifySource,
  triageAlerts,
  type SourceReport,
  type TriageContext,
} from "../src/index.js";
import { parseAlert, type KeyVaultAlert, type KeyVaultAlertKind } from "@keywarden/alerts";
import { armAlert } from "../test/support/arm-alert.js";
import { SUBSCRIPTION } from "../test/support/build-alert.js";
import { IPS, PRINCIPALS, tableContext, TENANT, torFixture } from "../test/support/table-world.js";

const KINDS: KeyVaultAlertKind[] = [
  "KV_SuspiciousIPAccess", "KV_TORAccess", "KV_OperationVolumeAnomaly", "KV_PutGetAnomaly", "KV_ListGetAnomaly",
  "KV_AccountVolumeAccessDeniedAnomaly", "KV_UserAccessDeniedAnomaly", "KV_AppAnomaly", "KV_OperationPatternAnomaly",
  "KV_UserAnomaly", "KV_UserAppAnomaly", "KV_AccountVolumeAnomaly", "KV_SuspiciousIPAccessDenied", "KV_UnusualAccessSuspiciousIP",
];
const IP_KEYS = ["foreign", "tor", "azure", "tenant-firewall", "none", "private"];
const PRINCIPAL_KEYS = ["none", ...Object.keys(PRINCIPALS)];

/** A realistic mix: every kind, every source situation, as Defender sends them (ARM JSON text). */
function rawMix(count: number, vaults: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length]!;
    const ip = IPS[IP_KEYS[(i * 7) % IP_KEYS.length]!];
    const principal = PRINCIPALS[PRINCIPAL_KEYS[(i * 5) % PRINCIPAL_KEYS.length]!];
    return JSON.stringify(
      armAlert({
        kind,
        index: i,
        vaultName: vaults === 1 ? "kv-payments" : `kv-burst-${i % vaults}`,
        ...(ip === undefined ? {} : { ipAddress: ip }),
        ...(principal === undefined ? {} : { objectId: principal.objectId }),
        suspiciousOperations: kind === "KV_PutGetAnomaly" ? "[VaultPut:1, SecretGet:3]" : "[SecretGet:3, SecretList:1]",
        target: `https://kv-payments.vault.azure.net/secrets/secret-${i % 13}/0123456789abcdef0123456789abcdef`,
        resultSignature: kind.includes("Denied") ? "Unauthorized" : "OK",
      }),
    );
  });
}

function mix(count: number, vaults: number): KeyVaultAlert[] {
  return rawMix(count, vaults).map((text) => parseAlert(text));
}

/** Median time of one call of each function, measured in alternation so machine load hits both alike. */
function timeAlternating(fns: Array<() => void>, trials: number): number[] {
  for (const fn of fns) for (let warm = 0; warm < 3; warm++) fn();
  const samples: number[][] = fns.map(() => []);
  for (let trial = 0; trial < trials; trial++) {
    fns.forEach((fn, index) => {
      const start = performance.now();
      fn();
      samples[index]!.push(performance.now() - start);
    });
  }
  return samples.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!);
}

async function benchDecide(): Promise<void> {
  const texts = rawMix(2_000, 1);
  const alerts = texts.map((text) => parseAlert(text));
  const context = tableContext("access-policy");
  const sources: SourceReport[] = [];
  for (const alert of alerts) sources.push(await identifySource(alert, context));
  const now = new Date("2026-11-28T09:00:00Z");
  const options = { now, tenantAddressSpace: context.tenantAddressSpace ?? [] };
  let sink = 0;
  const [decideMs, parseMs] = timeAlternating(
    [
      () => {
        for (let i = 0; i < alerts.length; i++) sink += decideResponse(alerts[i]!, sources[i]!, options).decision.recommendedActions.length;
      },
      () => {
        for (const text of texts) sink += (JSON.parse(text) as { name: string }).name.length;
      },
    ],
    21,
  ) as [number, number];
  const perAlert = (ms: number) => ((ms * 1000) / alerts.length).toFixed(2);
  console.log(
    `BENCH triage alerts=${alerts.length} decide_us_per_alert=${perAlert(decideMs)} json_parse_us_per_alert=${perAlert(parseMs)} ratio=${(decideMs / parseMs).toFixed(2)} sink=${sink % 7}`,
  );
}

function burstSeed(vaults: number): FakeAzureSeed {
  const principals = Object.values(PRINCIPALS).filter((p) => p.inDirectory);
  return {
    tenantId: TENANT,
    time: "2026-11-28T09:00:00Z",
    subscriptions: [{ subscriptionId: SUBSCRIPTION }],
    resourceGroups: [{ id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-payments`, location: "westeurope" }],
    vaults: Array.from({ length: vaults }, (_, i) => ({
      id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-payments/providers/Microsoft.KeyVault/vaults/kv-burst-${i}`,
      name: `kv-burst-${i}`,
      type: "Microsoft.KeyVault/vaults",
      location: "westeurope",
      properties: {
        tenantId: TENANT,
        sku: { family: "A" as const, name: "standard" as const },
        enableRbacAuthorization: i % 4 === 0,
        networkAcls: { defaultAction: i % 3 === 0 ? ("Deny" as const) : ("Allow" as const), bypass: "AzureServices" as const, ipRules: [{ value: "203.0.113.0/24" }], virtualNetworkRules: [] },
        accessPolicies: principals.map((p) => ({ tenantId: TENANT, objectId: p.objectId, permissions: { secrets: ["Get", "List"] } })),
      },
    })),
    directory: {
      users: principals.filter((p) => p.type === "user").map((p) => ({ id: p.objectId, displayName: p.displayName ?? null, userPrincipalName: p.userPrincipalName ?? null, userType: p.userType ?? "Member" })),
      servicePrincipals: principals
        .filter((p) => p.type !== "user")
        .map((p) => ({ id: p.objectId, appId: p.appId ?? p.objectId, displayName: p.displayName ?? null, appOwnerOrganizationId: p.appOwnerOrganizationId ?? TENANT, servicePrincipalType: p.type === "managed-identity" ? "ManagedIdentity" : "Application" })),
    },
  };
}

async function benchBurst(): Promise<void> {
  const vaults = 20;
  const azure = createFakeAzure({ seed: burstSeed(vaults), throttling: false, onUnhandledRequest: "error" });
  try {
    // The fake's direct path: every client is given the tenant's in-process httpClient.
    const clientOptions = { retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 10 }, httpClient: azure.httpClient };
    const context = (): TriageContext => ({
      tenantId: TENANT,
      tenantAddressSpace: ["203.0.113.0/24", "10.0.0.0/8"],
      directory: new GraphDirectory(azure.credential, clientOptions),
      vaults: new ArmVaultInspector(azure.credential, clientOptions),
      network: new AzureNetworkIntelligence(azure.credential, { subscriptionId: SUBSCRIPTION, torExitList: { text: torFixture }, ...clientOptions }),
      now: () => azure.clock.date(),
    });
    const alerts = mix(1_000, vaults);
    await triageAlerts(alerts.slice(0, 20), { ...context(), cache: createLookupCache() }); // warm-up (JIT, token cache)
    azure.calls.clear();
    const cache = createLookupCache();
    const start = performance.now();
    const reports = await triageAlerts(alerts, { ...context(), cache }, undefined, { concurrency: 32 });
    const cachedMs = performance.now() - start;
    const cachedCalls = azure.calls.count();
    const missing = reports.filter((r) => r.source.missingEvidence.some((m) => m.error !== undefined)).length;

    // Uncached: bursts of 32 with a fresh cache per alert (only lookups within one alert are shared).
    const sample = alerts.slice(0, 200);
    const shared = context();
    azure.calls.clear();
    const uncachedStart = performance.now();
    for (let i = 0; i < sample.length; i += 32) {
      await Promise.all(sample.slice(i, i + 32).map((alert) => triageAlerts([alert], { ...shared, cache: createLookupCache() })));
    }
    const uncachedMs = performance.now() - uncachedStart;
    const uncachedCallsPerAlert = azure.calls.count() / sample.length;

    const cachedRate = alerts.length / (cachedMs / 1000);
    const uncachedRate = sample.length / (uncachedMs / 1000);
    console.log(
      `BENCH triage-burst path=direct alerts=${alerts.length} vaults=${vaults} alerts_per_s=${cachedRate.toFixed(0)} requests=${cachedCalls} provider_errors=${missing} uncached_alerts_per_s=${uncachedRate.toFixed(0)} uncached_requests_per_alert=${uncachedCallsPerAlert.toFixed(1)} ratio=${(cachedRate / uncachedRate).toFixed(1)}`,
    );
  } finally {
    azure.close();
  }
}

await benchDecide();
await benchBurst();
