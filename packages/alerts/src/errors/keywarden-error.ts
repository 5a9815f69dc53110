const marker = "keywarden.error";
const symbol = Symbol.for(marker);

/** Options accepted by every Keywarden error. */
export interface KeywardenErrorOptions {
  /** The upstream error (for example an Azure `RestError`) that caused this one. Kept, never replaced. */
  cause?: unknown;
}

/**
 * The base of every error Keywarden throws or attaches to a report.
 *
 * `code` is stable across releases (`KW_<AREA>_<E|W|I><nnnn>`, see docs/error-codes.md), so SOAR code can branch
 * on it; `message` is for people and names what was wrong and how to fix it. `isInstance` works across copies of
 * the package (two versions installed side by side), where `instanceof` does not.
 */
export class KeywardenError extends Error {
  private readonly [symbol] = true;
  readonly code: string;

  constructor(code: string, message: string, options: KeywardenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KeywardenError";
    this.code = code;
  }

  static isInstance(error: unknown): error is KeywardenError {
    return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[symbol] === true;
  }
}
