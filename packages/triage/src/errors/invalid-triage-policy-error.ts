import { KeywardenError } from "@keywarden/alerts";
import { TriageErrorCodes } from "./triage-error-codes.js";

/** The triage policy or context configuration is invalid (e.g. a malformed CIDR). */
export class InvalidTriagePolicyError extends KeywardenError {
  constructor(message: string) {
    super(TriageErrorCodes.InvalidPolicy, message);
    this.name = "InvalidTriagePolicyError";
  }
}
