import { categoryOfCode, defineErrorCodes, KeywardenError } from "@keywarden/core";

/** Stable codes of the responder (`KW_RESPONDER_E<nnnn>`), listed in docs/error-codes.md. */
export const ResponderErrorCode = defineErrorCodes({
  /** A configuration setting is missing or invalid. */
  InvalidConfiguration: { code: "KW_RESPONDER_E0001", category: "invalid-input" },
  /** The store could not be opened or migrated (the database is away, or the path is not writable). */
  StoreUnavailable: { code: "KW_RESPONDER_E0002", category: "transient" },
  /** The pushed alert could not be re-read from Defender. */
  AlertReadFailed: { code: "KW_RESPONDER_E0003", category: "service" },
  /** Processing an incident failed (triage, impact, planning or apply). */
  ProcessingFailed: { code: "KW_RESPONDER_E0004", category: "service" },
  /** The store's schema is newer than this responder. */
  StoreTooNew: { code: "KW_RESPONDER_E0005", category: "invalid-input" },
});
export type ResponderErrorCode = (typeof ResponderErrorCode)[keyof typeof ResponderErrorCode];

/** Which part of the responder failed, for its logs and metrics (the error's `category` says how to react). */
export type ResponderErrorArea = "configuration" | "store" | "upstream" | "processing";

/** A responder failure: a stable code, a category, and the one action that fixes it in the message. */
export class ResponderError extends KeywardenError {
  static override readonly marker: string = "keywarden.responder";
  override readonly code: ResponderErrorCode;
  readonly area: ResponderErrorArea;

  constructor(code: ResponderErrorCode, area: ResponderErrorArea, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { category: categoryOfCode(ResponderErrorCode, code), cause: options.cause });
    this.code = code;
    this.area = area;
  }
}
