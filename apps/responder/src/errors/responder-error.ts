import { KeywardenError } from "@keywarden/alerts";

/** Stable codes of the responder (`KW_RESPONDER_E<nnnn>`), listed in docs/error-codes.md. */
export const ResponderErrorCode = {
  /** A configuration setting is missing or invalid. */
  InvalidConfiguration: "KW_RESPONDER_E0001",
  /** The store could not be opened or migrated. */
  StoreUnavailable: "KW_RESPONDER_E0002",
  /** The pushed alert could not be re-read from Defender. */
  AlertReadFailed: "KW_RESPONDER_E0003",
  /** Processing an incident failed (triage, impact, planning or apply). */
  ProcessingFailed: "KW_RESPONDER_E0004",
  /** The store's schema is newer than this responder. */
  StoreTooNew: "KW_RESPONDER_E0005",
} as const;
export type ResponderErrorCode = (typeof ResponderErrorCode)[keyof typeof ResponderErrorCode];

export type ResponderErrorCategory = "configuration" | "store" | "upstream" | "processing";

/** A responder failure: a stable code, a category, and the one action that fixes it in the message. */
export class ResponderError extends KeywardenError {
  readonly category: ResponderErrorCategory;

  constructor(code: ResponderErrorCode, category: ResponderErrorCategory, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = "ResponderError";
    this.category = category;
  }
}
