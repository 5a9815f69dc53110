import { withEnvironment } from "../environment/open-environment.js";
import { resolveAlert } from "../input/alert-input.js";
import { loadPolicyFile } from "../input/policy-input.js";
import { runImpact, runPlanning, runTriage } from "../respond/pipeline.js";
import { writeJsonFileAtomic } from "../sandbox/seed-file.js";
import type { CommandContext } from "../runtime/command-context.js";
import { commandLine } from "../runtime/command-line.js";
import { warnAboutLogCoverage } from "./impact.js";
import { planKeyFor } from "../respond/trust-keys.js";
import { incidentJournalFor } from "../runtime/journal-file.js";
import { loadRotatorModules } from "../input/rotator-modules.js";
import { CliErrorCode, invalidInput } from "../errors/cli-error.js";

export interface RespondOptions {
  workspace?: string;
  policy?: string;
  out?: string;
  /** Secrets whose owner confirmed the rotation at the source: the follow-up plan disables their exposed versions. */
  ownerConfirmed?: string[];
}

/** `keywarden respond <alert> [--workspace ID] [--policy FILE] [--out plan.json] [--owner-confirmed SECRET]...`: triage + impact + plan; never writes to Azure. */
export async function respond(context: CommandContext, alertArgument: string, options: RespondOptions): Promise<void> {
  const policy = await loadPolicyFile(context, options.policy);
  // Loaded before anything runs: a module that does not load is refused here (exit 2).
  const rotators = policy.rotators === undefined ? [] : await loadRotatorModules(policy.rotators);
  const ownerConfirmed = options.ownerConfirmed ?? [];
  const badName = ownerConfirmed.find((name) => !/^[0-9a-zA-Z-]{1,127}$/.test(name));
  if (badName !== undefined) {
    throw invalidInput(CliErrorCode.Usage, `--owner-confirmed ${JSON.stringify(badName)} is not a secret name (1-127 letters, digits or dashes): name the secret whose owner confirmed its rotation.`);
  }
  const result = await withEnvironment(context, {}, async (env) => {
    const alert = await resolveAlert(context, alertArgument, env);
    const [triage, impact] = await Promise.all([runTriage(env, alert, policy), runImpact(env, alert, options.workspace)]);
    const { signPlan } = await import("@keywarden/remediation");
    // Signed with the local key (created on first use) or the configured one: apply refuses anything else.
    // A re-delivered alert: what the incident's earlier applies did irreversibly is left out of the new plan.
    const incident = incidentJournalFor(context, [triage.alertId]);
    const planned = await runPlanning(env, triage, impact, policy, {
      ...(incident === undefined ? {} : { incidentJournal: await incident.entries() }),
      rotators,
      ...(ownerConfirmed.length === 0 ? {} : { ownerConfirmed }),
      ...(policy.planning === undefined ? {} : { versionReads: policy.planning.versionReads }),
    });
    const plan = await signPlan(planned, await planKeyFor(context, env));
    return { alert, triage, impact, plan, sandbox: env.mode === "sandbox" };
  });
  warnAboutLogCoverage(context.output, result.impact);
  if (options.out !== undefined) await writeJsonFileAtomic(options.out, result.plan, context.cwd);
  const [{ formatTriageReport }, { formatImpactReport }, { formatPlan }] = await Promise.all([
    import("@keywarden/triage"),
    import("@keywarden/impact"),
    import("@keywarden/remediation"),
  ]);
  const applyHint = commandLine(context, ["apply", options.out ?? "plan.json"], { sandbox: result.sandbox });
  context.output.result({ alert: result.alert, triage: result.triage, impact: result.impact, plan: result.plan, ...(options.out === undefined ? {} : { planFile: options.out }) }, (c) =>
    [
      c.bold("── Source and decision ──"),
      formatTriageReport(result.triage),
      "",
      c.bold("── Impact ──"),
      formatImpactReport(result.impact),
      "",
      c.bold("── Plan ──"),
      formatPlan(result.plan),
      "",
      options.out === undefined
        ? c.dim(`Nothing was changed. Save the plan, review it, then apply it: ${commandLine(context, ["respond", alertArgument, ...respondArgs(options), "--out", "plan.json"], { sandbox: result.sandbox })}`)
        : `${c.green("✔")} Plan written to ${options.out}. Nothing was changed. Next: ${applyHint}`,
    ].join("\n"),
  );
}

/** The options of this `respond` run that a hint to run it again must repeat. */
function respondArgs(options: RespondOptions): string[] {
  return [
    ...(options.workspace === undefined ? [] : ["--workspace", options.workspace]),
    ...(options.policy === undefined ? [] : ["--policy", options.policy]),
    ...(options.ownerConfirmed ?? []).flatMap((name) => ["--owner-confirmed", name]),
  ];
}
