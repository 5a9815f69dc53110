import { categoryFromStatus, categoryOfCode, KeywardenError } from "@keywarden/core";
import { SuppressionCodes, type SuppressionCode } from "./suppression-error-codes.js";

/**
 * An error from applying suppression changes or changing alert states. `status` is the HTTP status when Azure
 * answered; a failed Azure call is as transient, forbidden or missing as that status says.
 */
export class SuppressionError extends KeywardenError {
  static override readonly marker: string = "keywarden.suppression.error";
  override readonly code: SuppressionCode;
  readonly status: number | undefined;

  constructor(code: SuppressionCode, message: string, options: { cause?: unknown; status?: number | undefined } = {}) {
    const byStatus = options.status !== undefined && (code === SuppressionCodes.alertStateFailed || code === SuppressionCodes.applyFailed);
    super(code, message, { category: byStatus ? categoryFromStatus(options.status) : categoryOfCode(SuppressionCodes, code), cause: options.cause });
    this.code = code;
    this.status = options.status;
  }
}
