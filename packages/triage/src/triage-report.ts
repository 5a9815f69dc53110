import type { ActionKind } from "./action-kind.js";
import type { RecommendedAction } from "./recommended-action.js";
import type { Evidence, Origin, SourceReport } from "./source-report.js";

/** The whole answer for one alert: step 1 (the source) and step 2 (the decision). JSON-serialisable. */
export interface TriageReport {
  /** Report format version, bumped on breaking changes to this shape. */
  schemaVersion: 1;
  alertId: string;
  systemAlertId: string;
  alertType: string;
  alertKind: SourceReport["alertKind"];
  simulated: boolean;
  /** When the triage ran (ISO 8601, from the context clock). */
  triagedAt: string;
  source: SourceReport;
  findings: Finding[];
  decision: Decision;
  /** Rule ids that ran, in order; lets a reader see what was checked, not only what fired. */
  rulesEvaluated: string[];
  /** Rules the policy disabled, each with whether it was acknowledged (built-in protective rules must be). */
  disabledRules: DisabledRuleNote[];
}

export interface DisabledRuleNote {
  ruleId: string;
  /** A built-in rule that contacts owners or contains callers; disabling it needs `acknowledge`. */
  protective: boolean;
  acknowledged: boolean;
  message: string;
}

export type FindingSeverity = "high" | "medium" | "low" | "info";

export interface Finding {
  /** Unique within the report: `<ruleId>/<messageId>` (suffixed `#2`, ... when a rule reports the same message twice). */
  id: string;
  ruleId: `kv/${string}`;
  messageId: string;
  message: string;
  severity: FindingSeverity;
  evidence: Evidence[];
}

/** What the report tells people to do. A recognised principal never leads to dismissal. */
export type Verdict =
  /** At least one changing action (firewall, access, sessions, credentials) is recommended. */
  | "contain"
  /** Only people-facing and read-only steps (contact, escalate, measure impact). */
  | "investigate"
  /** A Defender sample alert: changing actions are withheld unless the policy says to respond. */
  | "simulated";

export interface Decision {
  verdict: Verdict;
  origin: Origin;
  summary: string;
  recommendedActions: RecommendedAction[];
  /** Actions rules proposed but the policy withheld (simulated alerts, disabled kinds), with why. */
  withheldActions: WithheldAction[];
  /**
   * Why the alert must not be closed yet: an owner's answer is pending, or a containment step has to succeed first.
   * While this is non-empty no closing step (`Resolved`/`Dismissed`) is recommended; executors must also refuse a
   * closing step after any of these actions was denied or failed.
   */
  closingBlockers: ClosingBlocker[];
}

export interface ClosingBlocker {
  reason: "owner-confirmation-pending" | "containment-pending";
  /** The action that must complete first, when an action is the cause. */
  actionId?: string;
  /** The finding that waits, when a finding is the cause (e.g. rotation deferred to the owner's answer). */
  findingId?: string;
  message: string;
}

export interface WithheldAction {
  kind: ActionKind;
  ruleId: string;
  reason: string;
}
