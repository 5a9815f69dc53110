import { KeywardenError, type KeywardenErrorOptions } from "@keywarden/alerts";
import { TriageErrorCodes } from "./triage-error-codes.js";

/** A service-tag document or Tor exit list could not be read or is not in a known format. */
export class InvalidNetworkListError extends KeywardenError {
  constructor(message: string, options: KeywardenErrorOptions = {}) {
    super(TriageErrorCodes.InvalidNetworkList, message, options);
    this.name = "InvalidNetworkListError";
  }
}
