import { errorCategories, KeywardenError, type ErrorCategory } from "@keywarden/core";
import { describe, expect, it } from "vitest";

import { CliError, CliErrorCode } from "../errors/cli-error.js";
import { errorLine, summarizeError } from "./error-summary.js";

/** A library error of a given category, as any package raises it (its own class, its own code). */
class SomeLibraryError extends KeywardenError {
  static override readonly marker: string = "keywarden.test.some-library";
}

describe("summarizeError", () => {
  it("keeps a Keywarden code and the first line only", () => {
    const error = new CliError(CliErrorCode.InvalidSeed, "Invalid seed x.json (2 problems):\n  $.vaults[0]: bad");
    expect(summarizeError(error)).toEqual({ code: "KW_CLI_E0008", message: "Invalid seed x.json (2 problems):", exitCode: 2 });
  });

  it("decides the exit code from the error's category alone: 2 for invalid input, 1 for every other category", () => {
    const expected: Record<ErrorCategory, number> = { "invalid-input": 2, "not-found": 1, conflict: 1, forbidden: 1, transient: 1, service: 1, internal: 1 };
    for (const category of errorCategories) {
      // A code no table could know: only the category can decide.
      const error = new SomeLibraryError("KW_NEWPKG_E0042", `a ${category} failure`, { category });
      expect(summarizeError(error), category).toEqual({ code: "KW_NEWPKG_E0042", message: `a ${category} failure`, exitCode: expected[category] });
    }
  });

  it("reads the category of a wrapped Keywarden error when the outer error has none", () => {
    const inner = new SomeLibraryError("KW_NEWPKG_E0001", "bad argument", { category: "invalid-input" });
    expect(summarizeError(Object.assign(new Error("outer"), { cause: inner })).exitCode).toBe(2);
  });

  it("turns anything else into a one-line failure with the generic code", () => {
    expect(summarizeError(new TypeError("x is undefined"))).toEqual({ code: "KW_CLI_E0001", message: "x is undefined", exitCode: 1 });
    expect(summarizeError("plain string")).toMatchObject({ message: "plain string", exitCode: 1 });
    expect(summarizeError({ unexpected: true })).toMatchObject({ message: '{"unexpected":true}', exitCode: 1 });
  });

  it("ends the error line with the action that fixes it", () => {
    const summary = summarizeError(new CliError(CliErrorCode.PermissionDenied, "denied.", { hint: "Assign the role Key Vault Contributor." }));
    expect(errorLine(summary)).toBe("denied. [KW_CLI_E0012] Fix: Assign the role Key Vault Contributor.");
  });

  it("names each credential of a failed chain and the sign-in fix", () => {
    const aggregate = Object.assign(new Error("ChainedTokenCredential authentication failed.\nCredentialUnavailableError: ..."), {
      name: "AggregateAuthenticationError",
      errors: [
        Object.assign(new Error("EnvironmentCredential is unavailable. No underlying credential could be used."), { name: "CredentialUnavailableError" }),
        Object.assign(new Error("ManagedIdentityCredential: Attempted to use the IMDS endpoint, but it is not available."), { name: "CredentialUnavailableError" }),
        Object.assign(new Error("Azure CLI could not be found. Please visit https://aka.ms/azure-cli for installation instructions."), { name: "CredentialUnavailableError" }),
      ],
    });
    const error = new SomeLibraryError("KW_ALERTS_E0302", "Listing alerts in subscription 1 failed.", { category: "service", cause: aggregate });
    const summary = summarizeError(error);
    expect(summary.message).toBe(
      "Listing alerts in subscription 1 failed: no Azure identity was found (EnvironmentCredential is unavailable; ManagedIdentityCredential: Attempted to use the IMDS endpoint, but it is not available; Azure CLI could not be found).",
    );
    expect(errorLine(summary)).toMatch(/\[KW_ALERTS_E0302\] Fix: Sign in with `az login`.*AZURE_CLIENT_ID.*managed identity.*--sandbox\.$/);
  });
});
