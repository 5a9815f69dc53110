import { categoryOfCode, defineErrorCodes, KeywardenError } from "@keywarden/core";

/**
 * Codes of the errors the fake tenant itself throws at the code that sets it up (not the Azure errors it answers
 * with, which keep Azure's own codes). Listed in docs/error-codes.md.
 */
export const fakeAzureErrorCodes = defineErrorCodes({
  /** The seed does not describe a valid tenant (`SeedValidationError`). */
  invalidSeed: { code: "KW_TESTING_E0001", category: "invalid-input" },
  /** `getScenario` was given a name that is not a scenario. */
  unknownScenario: { code: "KW_TESTING_E0002", category: "invalid-input" },
  /** A fault specification cannot be applied. */
  invalidFault: { code: "KW_TESTING_E0003", category: "invalid-input" },
  /** A clock was given an invalid time or a negative step. */
  invalidClockTime: { code: "KW_TESTING_E0004", category: "invalid-input" },
  /** `createFakeAzure` options that contradict each other or name no profile (`strict` without throttling). */
  invalidOptions: { code: "KW_TESTING_E0005", category: "invalid-input" },
});

/** One of the codes of {@link fakeAzureErrorCodes}. */
export type FakeAzureErrorCode = (typeof fakeAzureErrorCodes)[keyof typeof fakeAzureErrorCodes];

/**
 * Base of the errors the fake tenant throws: a `KeywardenError` with a stable `code`, its `category` (every one of
 * them is a mistake in how the fake is set up, so `invalid-input`) and the upstream `cause` when there is one.
 * `FakeAzureError.isInstance(error)` matches it and its subclasses across installed copies of the package.
 */
export class FakeAzureError extends KeywardenError {
  static override readonly marker: string = "keywarden.testing.fake-azure-error";
  declare readonly code: FakeAzureErrorCode;

  constructor(code: FakeAzureErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { category: categoryOfCode(fakeAzureErrorCodes, code), ...(options?.cause === undefined ? {} : { cause: options.cause }) });
  }
}
