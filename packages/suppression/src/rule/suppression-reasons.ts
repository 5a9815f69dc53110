/**
 * The reason tokens the service accepts. The swagger types `reason` as a free string, but the portal and the built-in
 * policy only ever send these seven (policy `reasonToEnum`, defender-alerts.md gotcha 15).
 */
export const SUPPRESSION_REASONS = [
  "AlertSeverityTooHigh",
  "FalsePositive",
  "Noise",
  "NotRelevant",
  "SpecificEntityFalsePositive",
  "Unclear",
  "Other",
] as const;

export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** The sentence the portal shows for each reason. */
export const SUPPRESSION_REASON_LABELS: Readonly<Record<SuppressionReason, string>> = {
  AlertSeverityTooHigh: "The severity of the alert should be lower",
  FalsePositive: "The alert detecting too many normal activities",
  Noise: "The alert is too noisy - hitting on the same resources too many times",
  NotRelevant: "The resource isn't relevant for me to monitor",
  SpecificEntityFalsePositive: "The alert detecting normal activity on specific entity",
  Unclear: "The alert isn't actionable - not clear how to investigate the threat",
  Other: "Other",
};

const reasonSet: ReadonlySet<string> = new Set(SUPPRESSION_REASONS);

export function isSuppressionReason(value: unknown): value is SuppressionReason {
  return typeof value === "string" && reasonSet.has(value);
}
