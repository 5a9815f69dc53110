import { terminalSafe } from "@keywarden/core";
import { logger } from "./log.js";
import type { TriageReport } from "./triage-report.js";

/** Text built from an alert or the tenant, on one line and without control characters. */
const safe = (text: string): string => terminalSafe(text, { singleLine: true });

/**
 * Logs, at `verbose`, how a report was decided: the origin and the evidence that settled it, each finding (rule and
 * message), each action recommended or withheld and why, and what blocks closing the alert. Ids, names and
 * reasons only: triage never reads a secret's value, so none can reach these lines.
 */
export function logTriageDecision(report: TriageReport): void {
  if (!logger.verbose.enabled) return;
  const alert = safe(report.systemAlertId);
  const { source, decision } = report;
  const evidence = source.originEvidence.map((fact) => fact.code).join(", ");
  logger.verbose(`triage ${alert}: origin ${source.origin}${evidence === "" ? " (no evidence)" : ` from ${safe(evidence)}`}`);
  for (const finding of report.findings) {
    logger.verbose(`triage ${alert}: finding ${safe(finding.id)} (${finding.severity}) from rule ${safe(finding.ruleId)}: ${safe(finding.message)}`);
  }
  for (const action of decision.recommendedActions) {
    logger.verbose(
      `triage ${alert}: recommends ${safe(action.id)}${action.requiresApproval ? " (needs approval)" : " (auto-approved by the policy)"} because of ${safe(action.reason.findingId)}`,
    );
  }
  for (const action of decision.withheldActions) {
    logger.verbose(`triage ${alert}: withholds ${action.kind} proposed by ${safe(action.ruleId)}: ${safe(action.reason)}`);
  }
  for (const blocker of decision.closingBlockers) {
    logger.verbose(`triage ${alert}: closing the alert waits (${blocker.reason}): ${safe(blocker.message)}`);
  }
  logger.verbose(`triage ${alert}: verdict ${decision.verdict}, ${decision.recommendedActions.length} action(s), ${decision.withheldActions.length} withheld`);
}
