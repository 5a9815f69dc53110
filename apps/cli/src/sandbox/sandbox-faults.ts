import type { FaultSpec } from "@keywarden/testing";

import { CliErrorCode, invalidInput } from "../errors/cli-error.js";

/** The environment variable that injects latency or failures into the sandbox, to rehearse bad days. */
export const sandboxFaultsVariable = "KEYWARDEN_SANDBOX_FAULTS";
/** The environment variable naming a file the sandbox appends each request it served to (JSON lines). */
export const sandboxCallLogVariable = "KEYWARDEN_SANDBOX_CALL_LOG";

const allowedKeys = new Set(["method", "url", "status", "body", "headers", "delayInMs", "reset", "malformed", "times"]);

/**
 * Reads `KEYWARDEN_SANDBOX_FAULTS`: a JSON array of fault specs as `@keywarden/testing` takes them, e.g.
 * `[{"method":"PATCH","url":"/subscriptions/**","status":403}]` or `[{"url":"https://*.vault.azure.net/**","delayInMs":500}]`.
 */
export function parseSandboxFaults(text: string | undefined): FaultSpec[] {
  if (text === undefined || text.trim() === "") return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalidInput(CliErrorCode.Usage, `${sandboxFaultsVariable} is not valid JSON: ${(error as Error).message}.`, error);
  }
  if (!Array.isArray(json)) throw invalidInput(CliErrorCode.Usage, `${sandboxFaultsVariable} must be a JSON array of fault specs.`);
  return json.map((entry: unknown, index) => {
    if (typeof entry !== "object" || entry === null || typeof (entry as { url?: unknown }).url !== "string") {
      throw invalidInput(CliErrorCode.Usage, `${sandboxFaultsVariable}[${index}] needs a string "url" pattern.`);
    }
    const unknownKey = Object.keys(entry).find((key) => !allowedKeys.has(key));
    if (unknownKey !== undefined) throw invalidInput(CliErrorCode.Usage, `${sandboxFaultsVariable}[${index}] has an unknown field '${unknownKey}'.`);
    return entry as FaultSpec;
  });
}
