import { categoryOfCode, KeywardenError } from "@keywarden/core";
import { TriageErrorCodes } from "./triage-error-codes.js";

/**
 * A provider or helper was given an argument it refuses: an id that is not a GUID or not the resource id it needs
 * (ids reach URLs only validated), or an option out of range. Inside `triageAlert` it becomes missing evidence like
 * any other provider failure; called directly, it is what the caller sees.
 */
export class InvalidTriageArgumentError extends KeywardenError {
  static override readonly marker: string = "keywarden.triage.invalid-argument";
  constructor(message: string) {
    super(TriageErrorCodes.InvalidArgument, message, { category: categoryOfCode(TriageErrorCodes, TriageErrorCodes.InvalidArgument) });
  }
}
