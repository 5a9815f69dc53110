import type { RemediationPolicy, VersionReadBudget } from "@keywarden/remediation";
import type { TriagePolicy } from "@keywarden/triage";

import { z } from "zod";

import { CliErrorCode, invalidInput } from "../errors/cli-error.js";
import type { CommandContext } from "../runtime/command-context.js";
import { notifyConfigProblems, type NotifyConfig } from "./notify-config.js";
import { readJsonInput } from "./read-input.js";
import { rotatorModuleRefs, rotatorsSectionSchema, type RotatorModuleRefs } from "./rotator-modules.js";

/**
 * The `--policy` file: how an organisation tunes the response, in one JSON document.
 * - `triage`: the `TriagePolicy` of `@keywarden/triage` (trusted ranges and principals, actions that run without
 *   approval, what to do with read secrets, simulated alerts, ...);
 * - `remediation`: the `RemediationPolicy` of `@keywarden/remediation` (firewall additions, random-value rotation,
 *   purge, alert-state management, ...);
 * - `notify`: where tasks for people go (console, webhook, Teams, e-mail), delivery retries, best-effort, and how
 *   recipients are found (owner tag names, sources, fallbacks). See `notify-config.ts`.
 * - `rotators`: modules (paths relative to the policy file, or package names) exporting `defineRotator(...)`
 *   results, which rotate secrets at their source. See `rotator-modules.ts`.
 * - `planning`: what `respond` may read before review; `versionReads` bounds the listing of the versions the plan
 *   disables (`maxObjects`, `budgetInMs`, `concurrency`); past it the apply lists them.
 */
export interface ResponsePolicy {
  triage?: TriagePolicy;
  remediation?: Omit<RemediationPolicy, "now" | "resolvedRecipients">;
  notify?: NotifyConfig;
  /** The rotator modules to load (`loadRotatorModules`), resolved against the policy file's directory. */
  rotators?: RotatorModuleRefs;
  /** Planning-time reads: the version-read budget, defaults filled in. */
  /** Unset fields take `DEFAULT_VERSION_READ_BUDGET` of `@keywarden/remediation` (500 objects, 30 s, 8 at once). */
  planning?: { versionReads: Partial<VersionReadBudget> };
}

const knownKeys = new Set(["$schema", "triage", "remediation", "notify", "rotators", "planning"]);

const planningSchema = z.strictObject({
  versionReads: z
    .strictObject({
      maxObjects: z.number().int().min(0).max(100_000).optional(),
      budgetInMs: z.number().int().min(0).max(3_600_000).optional(),
      concurrency: z.number().int().min(1).max(32).optional(),
    })
    .optional(),
});
const remediationKeys = new Set(["firewall", "accessPolicies", "roleAssignments", "secrets", "manageAlertState", "recipients", "autoApprove", "skip", "maxCutOffCallers"]);

/** The first thing wrong with a triage policy, in words; `undefined` when it is valid. */
async function triagePolicyProblem(policy: Record<string, unknown>): Promise<string | undefined> {
  const { DEFAULT_TRIAGE_POLICY, isActionKind, resolveTriagePolicy } = await import("@keywarden/triage");
  const known = Object.keys(DEFAULT_TRIAGE_POLICY);
  const unknown = Object.keys(policy).find((key) => !known.includes(key));
  if (unknown !== undefined) return `unknown key '${unknown}' (known: ${known.join(", ")})`;
  for (const key of ["autoApprove", "disabledActions"] as const) {
    const value = policy[key];
    if (value === undefined) continue;
    if (!Array.isArray(value)) return `'${key}' must be an array of action kinds`;
    const bad: unknown = (value as unknown[]).find((kind) => typeof kind !== "string" || !isActionKind(kind));
    if (bad !== undefined) return `'${key}' holds ${JSON.stringify(bad)}, which is not an action kind`;
  }
  for (const key of ["trustedIpRanges", "trustedPrincipals", "disabledRules", "secretResponse"] as const) {
    const value = policy[key];
    if (value !== undefined && (!Array.isArray(value) || value.some((entry) => typeof entry !== "string"))) return `'${key}' must be an array of strings`;
  }
  const secretResponse = policy["secretResponse"] as string[] | undefined;
  const badResponse = secretResponse?.find((kind) => !["rotate-secrets", "disable-secrets", "delete-secrets"].includes(kind));
  if (badResponse !== undefined) return `'secretResponse' holds '${badResponse}' (use rotate-secrets, disable-secrets, delete-secrets)`;
  if (policy["simulatedAlerts"] !== undefined && !["report-only", "respond"].includes(policy["simulatedAlerts"] as string)) return "'simulatedAlerts' is report-only or respond";
  if (policy["firewallBypass"] !== undefined && !["AzureServices", "None"].includes(policy["firewallBypass"] as string)) return "'firewallBypass' is AzureServices or None";
  if (policy["removeInheritedRoleAssignments"] !== undefined && typeof policy["removeInheritedRoleAssignments"] !== "boolean") return "'removeInheritedRoleAssignments' is true or false";
  try {
    resolveTriagePolicy(policy);
  } catch (error) {
    return (error as Error).message.split("\n")[0] ?? "invalid";
  }
  return undefined;
}

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
    throw invalidInput(CliErrorCode.InvalidPolicy, `${file}: unknown key '${unknownKey}' (a policy has "triage", "remediation", "notify", "rotators" and "planning" sections).`);
  }
  const triage = json["triage"];
  const remediation = json["remediation"];
  if (triage !== undefined && !isObject(triage)) throw invalidInput(CliErrorCode.InvalidPolicy, `${file}: "triage" must be an object.`);
  if (remediation !== undefined && !isObject(remediation)) throw invalidInput(CliErrorCode.InvalidPolicy, `${file}: "remediation" must be an object.`);
  if (triage !== undefined) {
    const problem = await triagePolicyProblem(triage);
    if (problem !== undefined) throw invalidInput(CliErrorCode.InvalidPolicy, `${file} has an invalid triage policy: ${problem}.`);
  }
  if (remediation !== undefined) {
    const unknown = Object.keys(remediation).find((key) => !remediationKeys.has(key));
    if (unknown !== undefined) {
      throw invalidInput(CliErrorCode.InvalidPolicy, `${file} has an invalid remediation policy: unknown key '${unknown}' (known: ${[...remediationKeys].join(", ")}).`);
    }
  }
  let notify: NotifyConfig | undefined;
  if (json["notify"] !== undefined) {
    const checked = notifyConfigProblems(json["notify"]);
    // Every problem on its own error line, so a notify section is fixed in one pass; the summary line stays one line.
    if (checked.config === undefined) {
      for (const problem of checked.problems) context.output.error(`${file}: ${problem}`);
      throw invalidInput(
        CliErrorCode.InvalidPolicy,
        `${file} has an invalid notify section: ${checked.problems.length === 1 ? checked.problems[0] : `${checked.problems.length} problems (listed above)`}. Fix it and run the command again.`,
      );
    }
    notify = checked.config;
  }
  let rotators: RotatorModuleRefs | undefined;
  if (json["rotators"] !== undefined) {
    const parsed = rotatorsSectionSchema.safeParse(json["rotators"]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalidInput(
        CliErrorCode.InvalidPolicy,
        `${file} has an invalid rotators section: ${issue === undefined ? "invalid" : `${issue.path.length === 0 ? "" : `[${issue.path.join(".")}] `}${issue.message}`}. List module paths (./rotators/sql.mjs, relative to the policy file) or package names.`,
      );
    }
    rotators = rotatorModuleRefs(parsed.data, file, context.cwd);
  }
  let planning: ResponsePolicy["planning"];
  if (json["planning"] !== undefined) {
    const parsed = planningSchema.safeParse(json["planning"]);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalidInput(
        CliErrorCode.InvalidPolicy,
        `${file} has an invalid planning section: ${issue === undefined ? "invalid" : `${issue.path.length === 0 ? "" : `[${issue.path.join(".")}] `}${issue.message}`}. Give versionReads as { "maxObjects": 500, "budgetInMs": 30000, "concurrency": 8 }.`,
      );
    }
    const reads = parsed.data.versionReads ?? {};
    planning = {
      versionReads: {
        ...(reads.maxObjects === undefined ? {} : { maxObjects: reads.maxObjects }),
        ...(reads.budgetInMs === undefined ? {} : { budgetInMs: reads.budgetInMs }),
        ...(reads.concurrency === undefined ? {} : { concurrency: reads.concurrency }),
      },
    };
  }
  return {
    ...(planning === undefined ? {} : { planning }),
    ...(rotators === undefined ? {} : { rotators }),
    ...(triage === undefined ? {} : { triage: triage }),
    ...(remediation === undefined ? {} : { remediation: remediation }),
    ...(notify === undefined ? {} : { notify }),
  };
}
