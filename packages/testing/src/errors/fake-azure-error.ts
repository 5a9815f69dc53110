/**
 * Codes of the errors the fake tenant itself throws (not the Azure errors it answers with). `@keywarden/testing`
 * depends on no other Keywarden package, so this mirrors `KeywardenError`'s `code` instead of extending it.
 */
export type FakeAzureErrorCode =
  /** The seed does not describe a valid tenant (`SeedValidationError`). */
  | "KW_TESTING_E0001"
  /** `getScenario` was given a name that is not a scenario. */
  | "KW_TESTING_E0002"
  /** A fault specification cannot be applied. */
  | "KW_TESTING_E0003"
  /** A clock was given an invalid time or a negative step. */
  | "KW_TESTING_E0004"
  /** `createFakeAzure` options that contradict each other or name no profile (`strict` without throttling). */
  | "KW_TESTING_E0005";

/** Base of the errors the fake tenant throws, with a stable `code`. */
export class FakeAzureError extends Error {
  override name = "FakeAzureError";
  readonly code: FakeAzureErrorCode;

  constructor(code: FakeAzureErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
