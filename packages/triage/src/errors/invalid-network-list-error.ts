import { categoryOfCode, KeywardenError } from "@keywarden/core";
import { TriageErrorCodes } from "./triage-error-codes.js";

/** A service-tag document or Tor exit list could not be read or is not in a known format. */
export class InvalidNetworkListError extends KeywardenError {
  static override readonly marker: string = "keywarden.triage.invalid-network-list";
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(TriageErrorCodes.InvalidNetworkList, message, { category: categoryOfCode(TriageErrorCodes, TriageErrorCodes.InvalidNetworkList), cause: options.cause });
  }
}
