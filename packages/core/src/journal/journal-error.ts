import { CoreError } from "../errors/core-error.js";
import type { CoreErrorCode } from "../errors/core-error-codes.js";

/** A journal file that cannot be trusted: it was edited, truncated in the middle, or is not a journal. */
export class JournalCorruptError extends CoreError {
  static override readonly marker: string = "keywarden.core.journal-corrupt";
  readonly path: string;
  /** 1-based line of the first entry that could not be trusted. */
  readonly line: number;

  constructor(code: CoreErrorCode, path: string, line: number, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.path = path;
    this.line = line;
  }
}
