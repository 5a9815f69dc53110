import { KeywardenError, type KeywardenErrorOptions } from "../errors/keywarden-error.js";

/** Codes of {@link JournalCorruptError}. */
export const JournalErrorCode = {
  /** A line in the middle of a journal file is not a valid entry. */
  Corrupt: "KW_ALERTS_E0101",
  /** A journal entry's `seq` does not follow the previous one. */
  OutOfOrder: "KW_ALERTS_E0102",
} as const;

/** A journal file that cannot be trusted: it was edited, truncated in the middle, or is not a journal. */
export class JournalCorruptError extends KeywardenError {
  readonly path: string;
  readonly line: number;

  constructor(code: string, path: string, line: number, message: string, options?: KeywardenErrorOptions) {
    super(code, message, options);
    this.name = "JournalCorruptError";
    this.path = path;
    this.line = line;
  }
}
