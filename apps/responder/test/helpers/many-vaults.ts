import { getScenario, type FakeAzureSeed } from "@keywarden/testing";

/**
 * The default scenario's vault cloned `vaults` times (kv-rep-01, ...), with `alerts` distinct Defender alerts spread
 * over them: the load for the replicas and load tests and the benchmarks.
 */
export function manyVaultsSeed(vaults: number, alerts: number): FakeAzureSeed {
  const base = structuredClone(getScenario("tor-secret-reads")) as unknown as Record<string, unknown> & { vaults: unknown[]; alerts: unknown[] };
  const vaultJson = JSON.stringify(base.vaults[0]);
  const alertJson = JSON.stringify(base.alerts[0]);
  const name = (i: number) => `kv-rep-${String(i + 1).padStart(2, "0")}`;
  const clonedVaults = Array.from({ length: vaults }, (_, i) => JSON.parse(vaultJson.replaceAll("kv-payments-prod", name(i))) as unknown);
  const originalId = (base.alerts[0] as { name: string }).name;
  const clonedAlerts = Array.from({ length: alerts }, (_, j) =>
    JSON.parse(alertJson.replaceAll("kv-payments-prod", name(j % vaults)).replaceAll("KV-PAYMENTS-PROD", name(j % vaults).toUpperCase()).replaceAll(originalId, `2517185428349999999_rep-${String(j).padStart(5, "0")}`)) as unknown,
  );
  return { ...base, vaults: [...base.vaults, ...clonedVaults], alerts: clonedAlerts } as unknown as FakeAzureSeed;
}
