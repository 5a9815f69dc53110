import { writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { resolve } from "node:path";

import { stepOutcomesFromResult, type ApplyResult, type RemediationPlan } from "@keywarden/remediation";

import { withEnvironment } from "../environment/open-environment.js";
import { CliError, CliErrorCode, invalidInput } from "../errors/cli-error.js";
import { planKeyFor, withPlanKey } from "../respond/trust-keys.js";
import { buildIncidentReport, renderIncidentMarkdown, renderIncidentText, type IncidentReport } from "../report/incident-report.js";
import { approveAll, promptingApprover, type ApproveFunction } from "../respond/approver.js";
import { loadPolicyFile } from "../input/policy-input.js";
import { loadRotatorModules } from "../input/rotator-modules.js";
import { CliNotifier, createNotifier, notifyChannels } from "../respond/executors.js";
import { loadPlanFile } from "../respond/load-plan.js";
import { runPlan } from "../respond/run-plan.js";
import type { CommandContext } from "../runtime/command-context.js";
import { commandLine } from "../runtime/command-line.js";
import { ExitCode } from "../runtime/exit-code.js";
import { onInterrupt } from "../runtime/interrupt.js";
import { defaultJournalPath, incidentJournalFor, openJournal } from "../runtime/journal-file.js";

export interface ApplyOptions {
  dryRun?: boolean;
  /** Wait for another process's journal lock instead of refusing. */
  wait?: boolean;
  yes?: boolean;
  journal?: string;
  report?: string;
  /** Where contact-owner / escalate-to-admin tasks go besides the console: `webhook:<https-url>`, `teams:<https-url>`, `email:<mailbox>`. */
  notify?: string[];
  /** The policy file whose `notify:` section chooses channels, delivery retries and best-effort. */
  policy?: string;
  /** More journals of earlier responses to the same alert (besides those in the Keywarden directory). */
  incidentJournal?: string[];
}

/** The exit code for an apply's result: 0 all done, 130 interrupted, 1 anything left undone. */
export function exitCodeFor(result: ApplyResult): number {
  // A dry run fails only when a step would fail; steps that need approval are listed (the apply asks for them).
  if (result.dryRun) return result.status === "failed" ? ExitCode.Failure : result.status === "aborted" ? ExitCode.Interrupted : ExitCode.Success;
  switch (result.status) {
    case "completed":
      return ExitCode.Success;
    case "aborted":
      return ExitCode.Interrupted;
    case "incomplete":
    case "failed":
      return ExitCode.Failure;
  }
}

/**
 * Chooses how steps that need approval are approved: --yes or a dry run approve, a terminal asks, anything else is
 * refused before a single step runs (a SOAR tool must say --yes; nothing is approved silently).
 */
export function chooseApprover(context: CommandContext, plan: RemediationPlan, options: { yes?: boolean; dryRun?: boolean }, signal: AbortSignal): ApproveFunction {
  if (options.dryRun === true) return approveAll("dry-run");
  // The journal binds each approval to who gave it: with --yes, the operator running the command.
  if (options.yes === true) return approveAll(`${process.env["USER"] ?? process.env["USERNAME"] ?? "operator"}@${hostname()} (--yes)`);
  const needing = plan.steps.filter((step) => step.requiresApproval);
  if (needing.length > 0 && !context.output.canPrompt) {
    throw new CliError(
      CliErrorCode.ApprovalUnavailable,
      `${needing.length} step(s) need approval (${needing.map((step) => step.id).join(", ")}) and there is no terminal to ask: review the plan, then pass --yes.`,
    );
  }
  return promptingApprover(context.output, signal);
}

/** `keywarden apply <plan.json> [--dry-run] [--yes] [--journal FILE] [--report FILE]` */
export async function apply(context: CommandContext, planFile: string, options: ApplyOptions): Promise<number> {
  const plan = await loadPlanFile(context, planFile);
  const policy = await loadPolicyFile(context, options.policy);
  // The policy's rotators, loaded before anything runs (a module that does not load is refused here, exit 2).
  const rotators = policy.rotators === undefined ? [] : await loadRotatorModules(policy.rotators);
  // Channels are checked before anything runs: an http:// URL or an unknown channel is refused here (exit 2).
  const channels = await notifyChannels(options.notify ?? [], policy.notify);
  // Signing is the default: a plan that is unsigned, or was edited after it was signed, is refused here (exit 2).
  // A Key Vault key verifies in Key Vault: a key that refuses (disabled, no keys/verify) is its own error, never "edited".
  const { RemediationCodes, verifyPlanSignature } = await import("@keywarden/remediation");
  await withPlanKey(context, async (planKey) => {
    try {
      await verifyPlanSignature(plan, planKey);
    } catch (error) {
      if ((error as { code?: unknown }).code === RemediationCodes.planKeyRefused) throw error;
      throw invalidInput(CliErrorCode.InvalidPlan, `${planFile} is not a plan this key signed: ${(error as Error).message}`, error);
    }
  });
  const dryRun = options.dryRun === true;
  const journalPath = options.journal ?? defaultJournalPath(context, plan.id);
  const opened = await openJournal(context, journalPath, { waitInMs: options.wait === true ? JOURNAL_WAIT_MS : 0, purpose: `apply ${plan.id}` });
  const interrupt = onInterrupt(context);
  try {
    // One incident, one response: what earlier applies for the same alert did irreversibly is not done again.
    const incidentJournal = incidentJournalFor(context, plan.basedOn.alertIds, { named: options.incidentJournal ?? [], exceptPath: opened.absolutePath });
    const approve = chooseApprover(context, plan, options, interrupt.signal);
    const notifier = new CliNotifier(context.output);
    const { formatPlan } = await import("@keywarden/remediation");
    if (context.output.format === "text") context.output.note(formatPlan(plan));
    const { result, report } = await withEnvironment(context, { persist: !dryRun }, async (env) => {
      const delivery = await createNotifier(notifier, channels, env);
      const notifyDelivery = policy.notify?.delivery;
      const applied = await runPlan(context, {
        plan,
        env,
        journal: opened.journal,
        approve,
        notifier: delivery,
        ...(notifyDelivery === undefined ? {} : { notifyDelivery }),
        dryRun,
        // A dry run with --yes: the apply will approve, so no step is reported as needing approval.
        ...(dryRun && options.yes === true ? { dryRunApproved: true } : {}),
        rotators,
        signal: interrupt.signal,
        planKey: await planKeyFor(context, env),
        ...(incidentJournal === undefined ? {} : { incidentJournal }),
      });
      const incident = buildIncidentReport({
        generatedAt: env.now().toISOString(),
        mode: env.mode,
        plan,
        dryRun,
        outcomes: stepOutcomesFromResult(applied),
        journal: opened.displayPath,
        rollbackCommand: commandLine(context, ["rollback", "--journal", opened.displayPath], { sandbox: env.mode === "sandbox" }),
        applyCommand: commandLine(context, ["apply", planFile, "--journal", opened.displayPath, ...applyArgs(options)], { sandbox: env.mode === "sandbox" }),
        ownerConfirmedCommand: (secret) =>
          commandLine(
            context,
            ["respond", plan.basedOn.alertIds[0] ?? "<alert>", "--owner-confirmed", secret, ...(options.policy === undefined ? [] : ["--policy", options.policy]), "--out", "follow-up-plan.json"],
            { sandbox: env.mode === "sandbox" },
          ),
      });
      return { result: applied, report: incident };
    });
    if (result.status === "aborted") {
      report.followUp.unshift(`Interrupted: run \`${commandLine(context, ["apply", planFile, "--journal", opened.displayPath, ...applyArgs(options)])}\` again to resume.`);
    }
    if (options.report !== undefined) await writeFile(resolve(context.cwd, options.report), renderIncidentMarkdown(report), "utf8");
    context.output.result({ planId: plan.id, status: result.status, dryRun, journal: opened.displayPath, steps: result.steps, tasks: notifier.tasks, report }, (c) =>
      renderApplyText(report, result, c),
    );
    return exitCodeFor(result);
  } finally {
    interrupt.dispose();
    await opened.close();
  }
}

/** The options of this apply that a hint to run it again must repeat (where tasks go, the policy). */
function applyArgs(options: ApplyOptions): string[] {
  return [...(options.policy === undefined ? [] : ["--policy", options.policy]), ...(options.notify ?? []).flatMap((target) => ["--notify", target])];
}

/** How long `--wait` waits for another process's journal lock. */
export const JOURNAL_WAIT_MS = 10 * 60_000;

function renderApplyText(report: IncidentReport, result: ApplyResult, c: Parameters<typeof renderIncidentText>[1]): string {
  const status =
    result.status === "completed" ? c.green("completed") : result.status === "aborted" ? c.yellow("interrupted") : c.red(result.status);
  return `${renderIncidentText(report, c)}\n${c.bold("Plan")} ${result.planId}: ${status}${result.dryRun ? " (dry run: nothing was changed)" : ""}`;
}
