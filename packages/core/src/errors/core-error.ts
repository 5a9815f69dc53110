import { categoryOfCode } from "./define-error-codes.js";
import { coreErrorCodes, type CoreErrorCode } from "./core-error-codes.js";
import { KeywardenError } from "./keywarden-error.js";

/** An error raised by `@keywarden/core` helpers (locks, transport). `status` is set when Azure answered. */
export class CoreError extends KeywardenError {
  static override readonly marker: string = "keywarden.core.error";
  override readonly code: CoreErrorCode;
  readonly status: number | undefined;

  constructor(code: CoreErrorCode, message: string, options: { cause?: unknown; status?: number | undefined } = {}) {
    super(code, message, { category: categoryOfCode(coreErrorCodes, code), cause: options.cause });
    this.code = code;
    this.status = options.status;
  }
}

/** One attempt of a request took longer than allowed. Transient: the same call may succeed later. */
export class RequestTimeoutError extends CoreError {
  static override readonly marker: string = "keywarden.core.request-timeout";
  readonly timeoutInMs: number;

  constructor(label: string, timeoutInMs: number) {
    super(coreErrorCodes.requestTimeout, `${label} did not answer within ${timeoutInMs} ms. Retry, or raise requestTimeoutInMs if the service is slow.`);
    this.timeoutInMs = timeoutInMs;
  }
}
