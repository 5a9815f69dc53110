import type { KeyVaultAlert } from "@keywarden/alerts";
import type { ImpactAccumulator } from "./impact-accumulator.js";
import type { ImpactAlertRef, ImpactCoverage, ImpactGap, ImpactReport } from "./impact-report.js";
import { ImpactErrorCode } from "./errors/impact-error.js";

/** Key Vault documents "10 minutes (at most)" between an operation and its log record. */
export const defaultIngestionLagMinutes = 10;

export function vaultHostOf(alert: KeyVaultAlert | undefined, vaultName: string): string {
  const uri = alert?.vault?.vaultUri;
  if (uri !== undefined) {
    const match = /^https?:\/\/([^/]+)/i.exec(uri);
    if (match?.[1] !== undefined) return match[1].toLowerCase();
  }
  return `${vaultName.toLowerCase()}.vault.azure.net`;
}

function alertSucceeded(alert: KeyVaultAlert): boolean {
  const signature = alert.resultSignature;
  if (signature === undefined || signature.trim() === "") return true;
  return /\b(ok|success|succeeded)\b/i.test(signature);
}

/** Folds the alert's own evidence (targets, operation counts, caller) into an accumulator. */
export function addAlertEvidence(accumulator: ImpactAccumulator, alert: KeyVaultAlert): void {
  const suspicious = alert.operations?.suspicious ?? [];
  const last24 = alert.operations?.last24Hours ?? [];
  const primary = suspicious.length > 0 ? suspicious : last24;
  const seen = new Set(primary.map((o) => o.operation.toLowerCase()));
  const extra = primary === suspicious ? last24.filter((o) => !seen.has(o.operation.toLowerCase())) : [];
  const caller: { ip?: string; objectId?: string; upn?: string; appId?: string } = {};
  if (alert.source?.ipAddress) caller.ip = alert.source.ipAddress;
  if (alert.source?.objectId) caller.objectId = alert.source.objectId;
  if (alert.source?.userPrincipalName) caller.upn = alert.source.userPrincipalName;
  if (alert.source?.applicationId) caller.appId = alert.source.applicationId;
  accumulator.addAlertEvidence({
    targets: alert.targets ?? [],
    operations: [...primary, ...extra],
    succeeded: alertSucceeded(alert),
    caller,
    window: { start: Date.parse(alert.startTime), end: Date.parse(alert.endTime) },
  });
}

export function alertRef(alert: KeyVaultAlert): ImpactAlertRef {
  return {
    id: alert.id,
    systemAlertId: alert.systemAlertId,
    alertType: alert.alertType,
    kind: alert.kind,
    simulated: alert.simulated,
  };
}

/** Ingestion-lag assessment for a queried window at `now`. */
export function ingestionOf(
  windowEnd: Date | undefined,
  now: Date | undefined,
  maxLagMinutes: number,
): ImpactCoverage["ingestion"] {
  if (windowEnd === undefined || now === undefined) return { maxLagMinutes, windowMayBeIncomplete: false };
  const completeAt = windowEnd.getTime() + maxLagMinutes * 60_000;
  if (now.getTime() >= completeAt) return { maxLagMinutes, windowMayBeIncomplete: false };
  return { maxLagMinutes, windowMayBeIncomplete: true, completeAfter: new Date(completeAt).toISOString() };
}

export interface AssembleInput {
  alert?: KeyVaultAlert;
  vault: ImpactReport["vault"];
  window: { start: string; end: string };
  accumulator: ImpactAccumulator;
  coverage: ImpactCoverage;
  gaps: ImpactGap[];
  basis: ImpactReport["basis"];
  now?: Date;
}

export function assembleReport(input: AssembleInput): ImpactReport {
  const built = input.accumulator.build({ logsAnswered: input.basis === "logs" });
  const gaps = [...input.gaps];
  if (built.unattributedOperations.some((o) => o.source === "alert")) {
    gaps.push({
      code: ImpactErrorCode.UnattributedOperations,
      message:
        "The alert counts operations without naming the object of each; they are listed under unattributed operations. Query the vault's logs to tie them to objects.",
    });
  }
  const report: ImpactReport = {
    schemaVersion: 1,
    vault: input.vault,
    window: input.window,
    basis: input.basis,
    callers: built.callers,
    objects: built.objects,
    vaultChanges: built.vaultChanges,
    unattributedOperations: built.unattributedOperations,
    coverage: input.coverage,
    toRotate: built.toRotate,
    gaps,
  };
  if (input.alert !== undefined) report.alert = alertRef(input.alert);
  if (input.now !== undefined) report.generatedAt = input.now.toISOString();
  return report;
}
