import { KeywardenError } from "@keywarden/alerts";
import type { RemediationCode } from "./remediation-codes.js";

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
  override readonly code: RemediationCode;
  readonly stepId?: string;
  readonly status?: number;
  readonly details?: Record<string, unknown>;

  constructor(code: RemediationCode, message: string, options: RemediationErrorOptions = {}) {
    super(code, message, { cause: options.cause });
    this.name = "RemediationError";
    this.code = code;
    if (options.stepId !== undefined) this.stepId = options.stepId;
    if (options.status !== undefined) this.status = options.status;
    if (options.details !== undefined) this.details = options.details;
  }
}

/** The plan failed validation: wrong schema, or content that does not match its id. */
export class InvalidPlanError extends RemediationError {
  readonly issues: string[];
  constructor(code: RemediationCode, message: string, issues: string[] = []) {
    super(code, message, { details: { issues } });
    this.name = "InvalidPlanError";
    this.issues = issues;
  }
}

/** What a step read at planning time no longer holds (Terraform's "saved plan is stale"). */
export class PlanStaleError extends RemediationError {
  constructor(message: string, options: RemediationErrorOptions = {}) {
    super("KW_REMEDIATION_E0003", message, options);
    this.name = "PlanStaleError";
  }
}
