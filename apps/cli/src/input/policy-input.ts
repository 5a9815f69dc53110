import type { RemediationPolicy } from "@keywarden/remediation";
import type { TriagePolicy } from "@keywarden/triage";

import { CliErrorCode, invalidInput } from "../errors/cli-error.js";
import type { CommandContext } from "../runtime/command-context.js";
import { readJsonInput } from "./read-input.js";

/**
 * The `--policy` file: how an organisation tunes the response, in one JSON document.
 * - `triage`: the `TriagePolicy` of `@keywarden/triage` (trusted ranges and principals, actions that run without
 *   approval, what to do with read secrets, simulated alerts, ...);
 * - `remediation`: the `RemediationPolicy` of `@keywarden/remediation` (firewall additions, random-value rotation,
 *   purge, alert-state management, ...).
 */
export interface ResponsePolicy {
  triage?: TriagePolicy;
  remediation?: Omit<RemediationPolicy, "now">;
}

const knownKeys = new Set(["$schema", "triage", "remediation"]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads and checks a policy file; unknown top-level keys and an invalid triage policy are errors (exit 2). */
export async function loadPolicyFile(context: CommandContext, file: string | undefined): Promise<ResponsePolicy> {
  if (file === undefined) return {};
  const json = await readJsonInput(context, file, "policy file");
  if (!isObject(json)) throw invalidInput(CliErrorCode.InvalidPolicy, `${file} is not a response policy: expected a JSON object with "triage" and/or "remediation".`);
  const unknownKey = Object.keys(json).find((key) => !knownKeys.has(key));
  if (unknownKey !== undefined) {
    throw invalidInput(CliErrorCode.InvalidPolicy, `${file}: unknown key '${unknownKey}' (a policy has "triage" and "remediation" sections).`);
  }
  const triage = json["triage"];
  const remediation = json["remediation"];
  if (triage !== undefined && !isObject(triage)) throw invalidInput(CliErrorCode.InvalidPolicy, `${file}: "triage" must be an object.`);
  if (remediation !== undefined && !isObject(remediation)) throw invalidInput(CliErrorCode.InvalidPolicy, `${file}: "remediation" must be an object.`);
  if (triage !== undefined) {
    const { resolveTriagePolicy } = await import("@keywarden/triage");
    try {
      resolveTriagePolicy(triage);
    } catch (error) {
      throw invalidInput(CliErrorCode.InvalidPolicy, `${file} has an invalid triage policy: ${(error as Error).message.split("\n")[0] ?? ""}`, error);
    }
  }
  return {
    ...(triage === undefined ? {} : { triage: triage }),
    ...(remediation === undefined ? {} : { remediation: remediation }),
  };
}
