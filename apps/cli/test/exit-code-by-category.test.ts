import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";

import { CoreError, coreErrorCodes, type KeywardenError, RequestTimeoutError } from "@keywarden/core";
import { RemediationCodes, RemediationError } from "@keywarden/remediation";
import { VaultNotFoundError } from "@keywarden/triage";
import { afterAll, describe, expect, it } from "vitest";

import { runCli } from "../src/program.js";
import type { OutputStreams } from "../src/runtime/output.js";
import { summarizeError } from "../src/runtime/error-summary.js";
import { type ErrorCategoryName, ExitCode } from "../src/runtime/exit-code.js";

/**
 * The exit code the CLI documents for each category (`Exit codes: 0 success, 1 failure, 2 invalid input or usage`),
 * spelled out here rather than read from `exitCodeForCategory`, so a change of the mapping fails this test.
 */
const documentedExitCode: ReadonlyMap<ErrorCategoryName, ExitCode> = new Map<ErrorCategoryName, ExitCode>([
  ["invalid-input", ExitCode.InvalidInput],
  ["not-found", ExitCode.Failure],
  ["conflict", ExitCode.Failure],
  ["forbidden", ExitCode.Failure],
  ["transient", ExitCode.Failure],
  ["service", ExitCode.Failure],
  ["internal", ExitCode.Failure],
]);

/** One real library error of each category, as the packages throw them (no hand-made objects). */
const errorOfEachCategory: readonly [ErrorCategoryName, () => KeywardenError][] = [
  ["invalid-input", () => new CoreError(coreErrorCodes.unexpectedHost, "A request went to evil.example.")],
  ["not-found", () => new VaultNotFoundError("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv")],
  ["conflict", () => new CoreError(coreErrorCodes.lockHeld, "The journal lock is held by pid 42.")],
  ["forbidden", () => new RemediationError(RemediationCodes.approvalDenied, "The approver refused step r1-disable.")],
  ["transient", () => new RequestTimeoutError("Key Vault", 5)],
  ["service", () => new CoreError(coreErrorCodes.requestFailed, "Azure answered 500.", { status: 500 })],
  ["internal", () => new CoreError(coreErrorCodes.lockUnavailable, "The lock directory is a file.")],
];

describe("the CLI's exit code follows the error's category", () => {
  it("covers all seven categories", () => {
    expect(new Set(errorOfEachCategory.map(([category]) => category))).toEqual(new Set(documentedExitCode.keys()));
  });

  it.each(errorOfEachCategory)("a %s error exits with its documented code and keeps its own code", (category, make) => {
    const error = make();
    expect(error.category).toBe(category);
    const summary = summarizeError(error);
    expect(summary.exitCode).toBe(documentedExitCode.get(category));
    expect(summary.code).toBe(error.code);
  });

  it.each(errorOfEachCategory)("a %s error wrapped by a plain Error (as a command rethrows it) still decides the exit code", (category, make) => {
    const wrapped = new Error("The command failed.", { cause: make() });
    expect(summarizeError(wrapped).exitCode).toBe(documentedExitCode.get(category));
  });

  it("an error with no category anywhere in its chain is a failure (1), never a success or an invalid input", () => {
    expect(summarizeError(new TypeError("x is undefined")).exitCode).toBe(ExitCode.Failure);
  });
});

/** Runs the real command tree in this process (as `bin.ts` does) with in-memory streams. */
async function runInProcess(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  stderr.resume();
  const streams: OutputStreams = { stdout, stderr, stdin: new PassThrough() };
  const code = await runCli(["node", "keywarden", ...argv], { streams, env, cwd });
  return { code, stdout: out };
}

describe("the CLI's exit code for errors provoked in the sandbox", () => {
  const dir = mkdtempSync(join(tmpdir(), "keywarden-exit-codes-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Azure's answer decides the category of the error the alerts client raises (core's categoryFromStatus);
  // `internal` has no HTTP status that provokes it and is covered by the library errors above.
  it.each([
    [400, "invalid-input"],
    [403, "forbidden"],
    [404, "not-found"],
    [409, "conflict"],
    [429, "transient"],
    [500, "service"],
  ] as const)("HTTP %i from the alerts API (a %s error) ends `alerts list` with the documented exit code", async (status, category) => {
    const faults = JSON.stringify([{ method: "GET", url: "/subscriptions/*/providers/Microsoft.Security/alerts", status }]);
    const result = await runInProcess(
      ["--sandbox", "--sandbox-state", join(dir, "sandbox.json"), "--format", "json", "alerts", "list"],
      { KEYWARDEN_SANDBOX_FAULTS: faults },
      dir,
    );
    const expected = documentedExitCode.get(category);
    expect(result.code).toBe(expected);
    const document = JSON.parse(result.stdout) as { error: { code: string; exitCode: number } };
    expect(document.error.exitCode).toBe(expected);
    expect(document.error.code).toMatch(/^KW_[A-Z]+_E\d{4}$/);
  });
});
