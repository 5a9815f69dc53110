import type { KeyVaultAlert } from "@keywarden/alerts";
import type { ActionKind } from "./action-kind.js";
import type { ActionParameters, ActionTargets, AlertTarget, PrincipalTarget, VaultTarget } from "./recommended-action.js";
import type { Evidence, Origin, SourceReport } from "./source-report.js";
import type { FindingSeverity } from "./triage-report.js";
import type { ResolvedTriagePolicy } from "./triage-policy.js";

/**
 * A triage rule, in the shape of an ESLint rule: metadata that declares what it can say and propose, and a pure
 * `evaluate` that reports. The engine, not the rule, decides what happens to proposals (policy, approvals,
 * simulated alerts). A rule that emits an undeclared message or action kind is a bug and fails loudly.
 */
export interface TriageRule<MessageIds extends string = string> {
  meta: TriageRuleMeta<MessageIds>;
  /** Pure: no I/O, no clock, no randomness. Called once per alert. */
  evaluate: (input: RuleInput) => readonly RuleReport<MessageIds>[];
}

export interface TriageRuleMeta<MessageIds extends string = string> {
  /** `kv/<kebab-name>`. */
  id: `kv/${string}`;
  description: string;
  /** Message templates by id; `{{name}}` placeholders are filled from the report's `data`. */
  messages: Record<MessageIds, string>;
  /** Every action kind the rule may propose. */
  proposes: readonly ActionKind[];
  /** Documentation link; derived from the id when omitted. */
  docsUrl?: string;
  /**
   * Alert states that close an alert which the rule may propose through `update-alert-state`. A rule that closes
   * must also declare `requiresApproval: true`, or it is refused at load; the engine requires approval for every
   * closing step anyway and withholds it while containment or an owner's answer is pending.
   */
  closes?: readonly ClosingAlertState[];
  /** Declares that the rule's closing steps wait for a person (required with `closes`). */
  requiresApproval?: boolean;
}

/** The alert states that close an alert. */
export type ClosingAlertState = "Resolved" | "Dismissed";

/** What a rule says about one alert. */
export interface RuleReport<MessageIds extends string = string> {
  messageId: MessageIds;
  data?: Record<string, string | number>;
  severity: FindingSeverity;
  evidence?: Evidence[];
  actions?: ProposedAction[];
}

/**
 * An action as a rule proposes it; the engine adds its id, reason and approval requirement. Build `parameters` as
 * fresh objects (the helpers in `action-builders` do): the engine copies targets but takes parameters as they are.
 */
export type ProposedAction = {
  [K in ActionKind]: { kind: K; target: ActionTargets[K]; parameters: ActionParameters[K] };
}[ActionKind];

/** What every rule sees. Facts are derived once per alert so rules stay short and consistent. */
export interface RuleInput {
  alert: KeyVaultAlert;
  source: SourceReport;
  policy: ResolvedTriagePolicy;
  facts: TriageFacts;
  /** The tenant's known address space, as configured in the context (ranges as written). */
  tenantAddressSpace: readonly string[];
}

/** Conclusions derived from the alert, the source report and the policy, shared by all rules. */
export interface TriageFacts {
  /** The access the alert describes succeeded (denied alerts never lead to credential actions). */
  accessSucceeded: boolean;
  accessDenied: boolean;
  /**
   * The origin rules act on: the source report's origin, except that an allow-listed address (policy
   * `trustedIpRanges`) is not counted as outside evidence. The owner is still asked.
   */
  origin: Origin;
  /** In-tenant member, own application, managed identity, first-party service principal, or allow-listed. */
  principalRecognised: boolean;
  /** Guest user, foreign application, or an object id the directory does not know. */
  principalForeign: boolean;
  principalAllowListed: boolean;
  /** The source IP is valid, public, not the tenant's, not allowed by the vault firewall, not allow-listed. */
  ipUnrecognised: boolean;
  ipAllowListed: boolean;
  /** Secret values (or backups) were read, `unknown` when the alert does not list operations. */
  secretsRead: boolean | "unknown";
  /** Key material was used or exported (decrypt, unwrap, sign, release, backup). */
  keysUsed: boolean;
  /** Only metadata operations (get/list of vault and object properties) were performed. */
  metadataOnly: boolean;
  /** Secret and key names (and versions) the alert's targets name. */
  secretNames: string[];
  secretVersions: Record<string, string[]>;
  keyNames: string[];
  keyVersions: Record<string, string[]>;
  vault: VaultTarget;
  /** Absent (undefined) when the alert names no principal object id. */
  principal: PrincipalTarget | undefined;
  alert: AlertTarget;
}
