import { categoryFromStatus, categoryOfCode, KeywardenError } from "@keywarden/core";
import { RemediationCodes, type RemediationCode } from "./remediation-codes.js";

export interface RemediationErrorOptions {
  cause?: unknown;
  /** The plan step the error belongs to, when there is one. */
  stepId?: string;
  /** HTTP status of the Azure response behind the error, when there is one. */
  status?: number;
  /** Structured, secret-free detail for SOAR code (the rule that failed, the state that was found...). */
  details?: Record<string, unknown>;
}

/** Every error `@keywarden/remediation` throws or records. Branch on `code`, never on `message`. */
export class RemediationError extends KeywardenError {
  static override readonly marker: string = "keywarden.remediation";
  override readonly code: RemediationCode;
  readonly stepId?: string;
  readonly status?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: RemediationCode, message: string, options: RemediationErrorOptions = {}) {
    // An Azure refusal (or a webhook's) is as transient, forbidden or missing as its status says; other codes have one category.
    const byStatus = code === RemediationCodes.azureRequestFailed || (code === RemediationCodes.notifyFailed && options.status !== undefined);
    const category = byStatus ? categoryFromStatus(options.status) : categoryOfCode(RemediationCodes, code);
    super(code, message, { category, cause: options.cause });
    this.code = code;
    if (options.stepId !== undefined) this.stepId = options.stepId;
    if (options.status !== undefined) this.status = options.status;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** The plan failed validation: wrong schema, or content that does not match its id. */
export class InvalidPlanError extends RemediationError {
  static override readonly marker: string = "keywarden.remediation.invalid-plan";
  readonly issues: string[];
  constructor(code: RemediationCode, message: string, issues: string[] = []) {
    super(code, message, { details: { issues } });
    this.issues = issues;
  }
}

/** What a step read at planning time no longer holds (Terraform's "saved plan is stale"). */
export class PlanStaleError extends RemediationError {
  static override readonly marker: string = "keywarden.remediation.plan-stale";
  constructor(message: string, options: RemediationErrorOptions = {}) {
    super("KW_REMEDIATION_E0003", message, options);
  }
}

/**
 * A task could not be delivered (`KW_REMEDIATION_E0040`): its target was unreachable or refused it, after the
 * delivery retries. The engine records the step as `not-delivered` and goes on with the plan; unless `bestEffort`,
 * the run is `incomplete`.
 */
export class NotDeliveredError extends RemediationError {
  static override readonly marker: string = "keywarden.remediation.not-delivered";
  /** The notification policy marks delivery best-effort: the run still counts as completed. */
  readonly bestEffort: boolean;
  /** Delivery attempts made. */
  readonly attempts: number;
  constructor(message: string, options: RemediationErrorOptions & { bestEffort: boolean; attempts: number }) {
    const { bestEffort, attempts, ...rest } = options;
    super(RemediationCodes.notifyNotDelivered, message, { ...rest, details: { ...rest.details, attempts, bestEffort } });
    this.bestEffort = bestEffort;
    this.attempts = attempts;
  }
}
