import { SuppressionError } from "../errors/suppression-error.js";
import type { JournalError } from "@keywarden/core";
import { statusOf } from "@keywarden/core";
import { SuppressionCodes } from "../errors/suppression-error-codes.js";

/** A failure as the journal records it: our stable code, the message, and the HTTP status when there was one. */
export function toJournalError(error: unknown): JournalError {
  const status = statusOf(error);
  return {
    code: SuppressionError.isInstance(error) ? error.code : SuppressionCodes.applyFailed,
    message: error instanceof Error ? error.message : String(error),
    ...(status === undefined ? {} : { status }),
  };
}
