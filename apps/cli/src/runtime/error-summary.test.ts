import { describe, expect, it } from "vitest";

import { summarizeError } from "./error-summary.js";

describe("summarizeError", () => {
  it("keeps a Keywarden code and the first line only", () => {
    const error = Object.assign(new Error("Invalid seed x.json (2 problems):\n  $.vaults[0]: bad"), { code: "KW_CLI_E0008", exitCode: 2 });
    expect(summarizeError(error)).toEqual({ code: "KW_CLI_E0008", message: "Invalid seed x.json (2 problems):", exitCode: 2 });
  });

  it("treats the libraries' invalid-input errors as exit 2", () => {
    const error = Object.assign(new Error("not an alert"), { name: "AlertParseError", code: "KW_ALERTS_E0003" });
    expect(summarizeError(error)).toMatchObject({ code: "KW_ALERTS_E0003", exitCode: 2 });
  });

  it("treats the libraries' invalid-argument codes as exit 2 whatever the error class", () => {
    for (const code of ["KW_ALERTS_E0303", "KW_TRIAGE_E0004", "KW_IMPACT_E0002", "KW_REMEDIATION_E0001", "KW_SUPPRESSION_E0108"]) {
      expect(summarizeError(Object.assign(new Error("bad"), { name: "SomeLibraryError", code }))).toMatchObject({ code, exitCode: 2 });
    }
    // A failure of Azure itself stays a failure.
    expect(summarizeError(Object.assign(new Error("403"), { name: "DefenderAlertsError", code: "KW_ALERTS_E0302" }))).toMatchObject({ exitCode: 1 });
  });

  it("turns anything else into a one-line failure with the generic code", () => {
    expect(summarizeError(new TypeError("x is undefined"))).toEqual({ code: "KW_CLI_E0001", message: "x is undefined", exitCode: 1 });
    expect(summarizeError("plain string")).toMatchObject({ message: "plain string", exitCode: 1 });
    expect(summarizeError({ unexpected: true })).toMatchObject({ message: '{"unexpected":true}', exitCode: 1 });
  });

  it("carries a hint for the second line", () => {
    expect(summarizeError(Object.assign(new Error("denied"), { code: "KW_CLI_E0012", hint: "Use role X." }))).toMatchObject({ hint: "Use role X." });
  });
});
