import type { KeyVaultAlert } from "@keywarden/alerts";
import type { JournalEntry } from "@keywarden/core";
import type { ImpactReport } from "@keywarden/impact";
import type { RemediationPlan, SecretRotator, VersionReadBudget } from "@keywarden/remediation";
import type { TriageContext, TriageReport } from "@keywarden/triage";

import type { AzureEnvironment } from "../environment/azure-environment.js";
import type { ResponsePolicy } from "../input/policy-input.js";

/**
 * The response pipeline the CLI runs for one alert, each step over the libraries' Azure implementations, so that
 * `triage`, `impact`, `respond` and `demo` run exactly the same code, in the sandbox and against Azure.
 */

/** Step 1 and 2: identify the source (Graph, the vault, service tags, Tor list, the tenant's public IPs) and decide the response. */
export async function runTriage(env: AzureEnvironment, alert: KeyVaultAlert, policy: ResponsePolicy, signal?: AbortSignal): Promise<TriageReport> {
  const { triageAlert, GraphDirectory, ArmVaultInspector, AzureNetworkIntelligence, ArmPublicIpReader } = await import("@keywarden/triage");
  const clientOptions = env.retryOptions === undefined ? {} : { retryOptions: env.retryOptions };
  const torExitList = env.torExitList;
  const context: TriageContext = {
    ...(env.tenantId === undefined ? {} : { tenantId: env.tenantId }),
    directory: new GraphDirectory(env.credential, clientOptions),
    vaults: new ArmVaultInspector(env.credential, clientOptions),
    network: new AzureNetworkIntelligence(env.credential, {
      ...clientOptions,
      subscriptionId: alert.vault.subscriptionId,
      ...(torExitList === undefined ? {} : { torExitList }),
    }),
    // The tenant's own public IPs (of the vault's subscription) are declared address space; other Azure IPs are not.
    publicIps: new ArmPublicIpReader(env.credential, clientOptions),
    now: () => env.now(),
    ...(signal === undefined ? {} : { abortSignal: signal }),
  };
  return triageAlert(alert, context, policy.triage);
}

/** Step 3: what the caller touched, from the alert and (when the vault sends them) the diagnostic logs. */
export async function runImpact(env: AzureEnvironment, alert: KeyVaultAlert, workspaceId: string | undefined, signal?: AbortSignal): Promise<ImpactReport> {
  const { measureImpact } = await import("@keywarden/impact");
  return measureImpact(alert, {
    credential: env.credential,
    ...(workspaceId === undefined ? {} : { workspaceId }),
    ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }),
    now: env.now(),
    ...(signal === undefined ? {} : { abortSignal: signal }),
  });
}

/** What else planning is told: the incident so far, the rotators the apply will have, what the owner confirmed. */
export interface PlanningInputs {
  /** Earlier responses to the same alert (verified journals): what they did irreversibly is left out. */
  incidentJournal?: readonly JournalEntry[];
  /** The policy file's rotators (the random-value rotator is always added last, as `apply` adds it). */
  rotators?: readonly SecretRotator[];
  /** Secrets whose owner confirmed the rotation at the source (`respond --owner-confirmed`): their exposed versions are disabled. */
  ownerConfirmed?: readonly string[];
  /** How many objects' versions planning may read, and for how long (default `DEFAULT_VERSION_READ_BUDGET`). */
  versionReads?: Partial<VersionReadBudget>;
}

/** The remediation plan: pure, reviewable data. */
export async function runPlanning(
  env: AzureEnvironment,
  triage: TriageReport,
  impact: ImpactReport | undefined,
  policy: ResponsePolicy,
  inputs: PlanningInputs = {},
): Promise<RemediationPlan> {
  const { AzureRecipientDirectory, describeSecretsToRotate, planResponse, planWithRecordedVersions, randomValueRotator, RemediationClients, resolveRecipients } =
    await import("@keywarden/remediation");
  const configured = policy.remediation ?? {};
  // Who to tell comes from the tenant (owner tags, manager, owners, security contacts), then the configured fallbacks.
  const recipients = policy.notify?.recipients ?? {};
  const resolvedRecipients = await resolveRecipients(
    triage,
    new AzureRecipientDirectory({ credential: env.credential, ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }) }),
    {
      ...(recipients.ownerTags === undefined ? {} : { ownerTags: recipients.ownerTags }),
      ...(recipients.sources === undefined ? {} : { sources: recipients.sources }),
      ...(recipients.fallbacks === undefined ? {} : { fallbacks: recipients.fallbacks }),
    },
  );
  // The sandbox's secrets back nothing outside the vault, so random values are a faithful rotation there; in Azure
  // the random-value rotator stays off unless the policy allows it (a real secret must be rotated at its source).
  const remediation =
    env.mode === "sandbox" && configured.secrets?.allowRandomValue === undefined
      ? { ...configured, secrets: { ...configured.secrets, allowRandomValue: true } }
      : configured;
  // The responder's own addresses stay allowed when the firewall closes, so the data-plane steps can still run.
  const addIpRules = [...new Set([...(remediation.firewall?.addIpRules ?? []), ...env.responderAddresses])];
  const planningPolicy = {
    ...remediation,
    resolvedRecipients,
    ...(addIpRules.length === 0 ? {} : { firewall: { ...remediation.firewall, addIpRules } }),
    now: env.now().toISOString(),
  };
  const options = {
    ...(inputs.incidentJournal === undefined ? {} : { incidentJournal: inputs.incidentJournal }),
    ...(inputs.ownerConfirmed === undefined ? {} : { ownerConfirmed: inputs.ownerConfirmed }),
  };
  // The plan only rotates what the apply's rotators can rotate at the source; a secret none of them matches becomes a
  // task for its owner. The vault says what they match on (content type, tags of the latest version; never values).
  const rotators = [...(inputs.rotators ?? []), randomValueRotator()];
  const secrets = await describeSecretsToRotate(planResponse(triage, impact, planningPolicy, options), {
    credential: env.credential,
    ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }),
  });
  const rotation = { rotators, secrets };
  // The versions of what the plan disables are read now and recorded in the plan (signed with it): the apply then
  // writes each version directly instead of listing them again, and a dry run reports what changed since.
  return planWithRecordedVersions(
    (objectVersions) => planResponse(triage, impact, planningPolicy, { ...options, rotation, ...(objectVersions === undefined ? {} : { objectVersions }) }),
    {
      clients: new RemediationClients({ credential: env.credential, ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }) }),
      readAt: env.now().toISOString(),
      ...(inputs.versionReads === undefined ? {} : { budget: inputs.versionReads }),
    },
  );
}
