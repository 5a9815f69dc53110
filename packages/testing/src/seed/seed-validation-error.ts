import { FakeAzureError } from "../errors/fake-azure-error.js";

/** One problem found in a seed: where (a JSON path such as `$.vaults[0].properties.sku`) and what was expected. */
export interface SeedIssue {
  path: string;
  message: string;
}

/**
 * A seed that does not describe a valid tenant. The message lists every problem with its JSON path, so a broken
 * scenario file can be fixed without a debugger.
 */
export class SeedValidationError extends FakeAzureError {
  static override readonly marker: string = "keywarden.testing.seed-validation-error";
  readonly issues: readonly SeedIssue[];

  constructor(issues: readonly SeedIssue[], source?: string) {
    const where = source ? ` in ${source}` : "";
    const lines = issues.slice(0, 20).map((issue) => `  ${issue.path}: ${issue.message}`);
    const more = issues.length > 20 ? [`  ... and ${issues.length - 20} more`] : [];
    super("KW_TESTING_E0001", [`Invalid fake Azure seed${where} (${issues.length} problem${issues.length === 1 ? "" : "s"}):`, ...lines, ...more].join("\n"));
    this.issues = issues;
  }
}
