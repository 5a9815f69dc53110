import type { TokenCredential } from "@azure/core-auth";
import { DefenderAlertsClient, parseAlert, type KeyVaultAlert } from "@keywarden/alerts";
import { FileJournal } from "@keywarden/core";
import { formatImpactReport, measureImpact, type ImpactReport } from "@keywarden/impact";
import {
  applyPlan,
  createAzureExecutors,
  formatPlan,
  planResponse,
  type AlertStateClient,
  type ApplyResult,
  type ApprovalRequest,
  type Notifier,
  type RemediationPlan,
  type RemediationPolicy,
  type SecretRotator,
} from "@keywarden/remediation";
import {
  ArmVaultInspector,
  AzureNetworkIntelligence,
  formatTriageReport,
  GraphDirectory,
  triageAlert,
  type TriagePolicy,
  type TriageReport,
} from "@keywarden/triage";

export interface PlaybookOptions {
  /** Your SOAR's Azure identity, e.g. `new DefaultAzureCredential()` or a workload identity. */
  credential: TokenCredential;
  /** Where the audit journal goes; applying again with the same file resumes an interrupted run. */
  journalPath: string;
  /** Your approval gate (a SOAR task, a chat prompt). Called only for steps that need a person. */
  approve: (request: ApprovalRequest) => Promise<boolean>;
  /** Where contact-owner and escalate-to-admin tasks go (default: printed). `WebhookNotifier` posts them. */
  notifier?: Notifier;
  /** Trusted ranges and principals, auto-approved actions, what to do with read secrets. */
  policy?: TriagePolicy;
  /** How plans are made: addresses a closed firewall must keep (your automation's egress!), purge, ... */
  remediationPolicy?: Omit<RemediationPolicy, "now">;
  /** Rotate secrets at their source (database password, storage key, app secret), tried in order. */
  rotators?: SecretRotator[];
  /** A Tor exit-node list file, so triage can tell Tor traffic apart. */
  torExitListPath?: string;
  /** The clock (Keywarden's pure steps read none of their own). */
  now?: () => Date;
}

export interface PlaybookResult {
  alert: KeyVaultAlert;
  triage: TriageReport;
  impact: ImpactReport;
  plan: RemediationPlan;
  result: ApplyResult;
  /** Human-readable versions for the ticket. */
  text: { triage: string; impact: string; plan: string };
}

/** Lets the plan move the Defender alert to In progress when it starts and to Resolved when it is done. */
function alertState(client: DefenderAlertsClient): AlertStateClient {
  const action = { Active: "activate", InProgress: "inProgress", Resolved: "resolve", Dismissed: "dismiss" } as const;
  return {
    getAlertState: async (id, options) => (await client.getAlert(id, options)).status,
    setAlertState: async (id, state, options) => {
      const result = await client.updateAlertState(id, action[state], options);
      if (result.outcome === "failed") throw new Error(result.error?.message ?? `The alert did not move to ${state}.`);
    },
  };
}

/** Alert in (any channel's JSON), triage + impact, plan, apply with approval, report out. */
export async function respondToDefenderAlert(payload: unknown, options: PlaybookOptions): Promise<PlaybookResult> {
  const now = options.now ?? (() => new Date());
  const { credential } = options;

  // 1. Normalise the alert: ARM REST, continuous export / workflow automation, a Log Analytics row or Graph alerts_v2.
  const alert = parseAlert(payload);

  // 2. Identify the source and decide the response (Microsoft Graph, the vault, service tags, Tor list).
  const triage = await triageAlert(
    alert,
    {
      directory: new GraphDirectory(credential),
      vaults: new ArmVaultInspector(credential),
      network: new AzureNetworkIntelligence(credential, {
        subscriptionId: alert.vault.subscriptionId,
        ...(options.torExitListPath === undefined ? {} : { torExitList: { path: options.torExitListPath } }),
      }),
      now,
    },
    options.policy,
  );

  // 3. Measure the impact: the alert's own evidence plus the vault's diagnostic logs, when it sends them.
  const impact = await measureImpact(alert, { credential, now: now() });

  // 4. Plan: reviewable, JSON-serialisable data with a stable id. Store it with the ticket.
  const plan = planResponse(triage, impact, { ...options.remediationPolicy, now: now().toISOString() });

  // 5. Apply: idempotent, verifying, journaled; steps that need a person go through your approval gate.
  const result = await applyPlan(plan, {
    journal: FileJournal.open(options.journalPath),
    executors: createAzureExecutors({
      credential,
      alerts: alertState(new DefenderAlertsClient(credential)),
      ...(options.rotators === undefined ? {} : { rotators: options.rotators }),
      ...(options.notifier === undefined ? {} : { notifier: options.notifier }),
    }),
    approve: async (request) => ({ approved: await options.approve(request), by: "soar-approval-gate" }),
  });

  return {
    alert,
    triage,
    impact,
    plan,
    result,
    text: { triage: formatTriageReport(triage), impact: formatImpactReport(impact), plan: formatPlan(plan) },
  };
}
