import type { RemediationPlan } from "../plan/remediation-plan.js";
import type { SecretDescription } from "../plan/rotation-coverage.js";
import { objectStore } from "./object-stores.js";
import { RemediationClients, type RemediationClientsOptions } from "./remediation-clients.js";

/**
 * Reads, for every secret a plan's `rotate-secrets` steps would rotate, what a rotator matches on: the content type and
 * tags of its latest version, through the `versions` endpoint (attributes only, never a value). Pass the result to
 * `planResponse(..., { rotation: { rotators, secrets } })`. A secret that cannot be found is left out (it is matched
 * by name alone; the rotation step reports it at apply time).
 */
export async function describeSecretsToRotate(
  plan: Pick<RemediationPlan, "steps">,
  options: RemediationClientsOptions & { abortSignal?: AbortSignal },
): Promise<SecretDescription[]> {
  const clients = new RemediationClients(options);
  const abortSignal = options.abortSignal ?? new AbortController().signal;
  const descriptions: SecretDescription[] = [];
  const seen = new Set<string>();
  for (const step of plan.steps) {
    const vault = step.target.vault;
    if (step.kind !== "rotate-secrets" || vault === undefined) continue;
    for (const object of step.target.objects ?? []) {
      const key = `${vault.name}/${object.name}`.toLowerCase();
      if (object.type !== "secret" || seen.has(key)) continue;
      seen.add(key);
      const versions = await objectStore(clients, vault.vaultUri, "secret").listVersions(object.name, { abortSignal });
      // The rotator is chosen on the latest version, as the rotate-secrets executor chooses it.
      const latest = [...(versions ?? [])].sort((a, b) => (a.createdOn ?? "").localeCompare(b.createdOn ?? "")).at(-1);
      if (latest === undefined) continue;
      descriptions.push({ vaultName: vault.name, name: object.name, ...(latest.contentType === undefined ? {} : { contentType: latest.contentType }), tags: { ...(latest.tags ?? {}) } });
    }
  }
  return descriptions;
}
