import { categoryOfCode, KeywardenError } from "@keywarden/core";
import { TriageErrorCodes } from "./triage-error-codes.js";

/** The triage policy or context configuration is invalid (e.g. a malformed CIDR). */
export class InvalidTriagePolicyError extends KeywardenError {
  static override readonly marker: string = "keywarden.triage.invalid-policy";
  constructor(message: string) {
    super(TriageErrorCodes.InvalidPolicy, message, { category: categoryOfCode(TriageErrorCodes, TriageErrorCodes.InvalidPolicy) });
  }
}
