import type { RecipientResolution } from "../recipients/resolve-recipients.js";
import type { StepKind } from "./remediation-plan.js";

/** How plans are made. Every field is optional; the defaults are the cautious choice. */
export interface RemediationPolicy {
  /** When the plan is made (ISO 8601); recorded as `createdAt`. The planner reads no clock. */
  now?: string;
  firewall?: {
    /** Override the triage's bypass choice (`AzureServices` keeps trusted Microsoft services working). */
    bypass?: "AzureServices" | "None";
    /** More IPv4 addresses / CIDRs to keep allowed (your egress, the responder's own address). */
    addIpRules?: string[];
    /** Subnet resource ids to keep allowed. */
    addVirtualNetworkRules?: string[];
    /** Merge adjacent / contained ranges without widening them when the 1,000-rule cap would be hit. Default true. */
    consolidate?: boolean;
  };
  accessPolicies?: {
    /** Fall back to a whole-vault PUT when `accessPolicies/remove` leaves an entry in place. Default true. */
    allowVaultPutFallback?: boolean;
  };
  roleAssignments?: {
    /** Also delete inherited assignments at their own scope. Default: what triage proposed. */
    includeInherited?: boolean;
  };
  secrets?: {
    /** Let the random-value rotator rotate secrets no registered rotator matches. Default false. */
    allowRandomValue?: boolean;
    /** A rotator name to use for every secret. Default: chosen per secret by content type, tag or name. */
    rotator?: string;
    /** Purge after soft delete (irreversible; refused under purge protection). Default false. */
    purge?: boolean;
  };
  /** Put the alert In progress at the start and Resolved at the end. Default true. */
  manageAlertState?: boolean;
  /**
   * Recipients for tasks, as given. Default: `resolvedRecipients` when set, else derived from the triage report (the
   * owners it found; never the suspected principal).
   */
  recipients?: { owner?: string[]; admin?: string[] };
  /**
   * Who the tenant says to tell (`await resolveRecipients(triage, directory)`): the planner reads no directory
   * itself. Each task then records where every address came from, and a task nobody was found for is a plan warning.
   */
  resolvedRecipients?: RecipientResolution;
  /** Step kinds that may run without approval (destructive steps always need it). Default: as triage said. */
  autoApprove?: StepKind[];
  /** Step kinds never to plan. */
  skip?: StepKind[];
  /** At most this many cut-off callers are listed per firewall step (the rest are counted). Default 50. */
  maxCutOffCallers?: number;
}
