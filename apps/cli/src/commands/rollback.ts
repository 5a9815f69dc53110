import { existsSync } from "node:fs";
import { resolve } from "node:path";

import { withEnvironment } from "../environment/open-environment.js";
import { CliErrorCode, invalidInput } from "../errors/cli-error.js";
import { buildIncidentReport, renderIncidentText } from "../report/incident-report.js";
import { CliNotifier } from "../respond/executors.js";
import { chooseRollbackTarget } from "../respond/rollback-target.js";
import { runPlan } from "../respond/run-plan.js";
import { writeJsonFileAtomic } from "../sandbox/seed-file.js";
import type { CommandContext } from "../runtime/command-context.js";
import { commandLine } from "../runtime/command-line.js";
import { ExitCode } from "../runtime/exit-code.js";
import { onInterrupt } from "../runtime/interrupt.js";
import { openJournal, type OpenedJournal } from "../runtime/journal-file.js";
import { planKeyFor, withPlanKey } from "../respond/trust-keys.js";
import { chooseApprover, exitCodeFor, JOURNAL_WAIT_MS } from "./apply.js";

/**
 * `keywarden rollback --journal FILE [--plan ID] [--dry-run] [--yes] [--out FILE]`: plans the undo of what the journal
 * says was changed (restoring the exact prior state where it can be restored, listing what cannot), then applies it
 * with the same safety as `apply`, journaled in the same file. Running it again after a failed or interrupted
 * rollback resumes that rollback.
 */
export async function rollback(context: CommandContext, options: { journal: string; plan?: string; dryRun?: boolean; yes?: boolean; out?: string; wait?: boolean }): Promise<number> {
  if (!existsSync(resolve(context.cwd, options.journal))) {
    throw invalidInput(CliErrorCode.InvalidJournal, `No journal at ${options.journal}: pass the --journal file that apply wrote.`);
  }
  const opened = await openJournal(context, options.journal, { waitInMs: options.wait === true ? JOURNAL_WAIT_MS : 0, purpose: "rollback" });
  try {
    return await rollbackWith(context, options, opened);
  } finally {
    await opened.close();
  }
}

async function rollbackWith(
  context: CommandContext,
  options: { journal: string; plan?: string; dryRun?: boolean; yes?: boolean; out?: string },
  opened: OpenedJournal,
): Promise<number> {
  const { planRollback, formatPlan, signPlan, stepOutcomesFromResult } = await import("@keywarden/remediation");
  // The plan to undo is chosen here, never left to guess: a journal also holds earlier (failed or interrupted)
  // rollbacks of the same plan, and re-planning that plan's rollback gives the same plan id, so applying it with
  // the same journal resumes the earlier attempt instead of starting over.
  const planId = chooseRollbackTarget(await opened.journal.entries(), options.plan, opened.displayPath);
  // The journal is sealed, so the before-state comes from verified entries; the rollback plan is signed like any other.
  const unsigned = await planRollback(opened.journal, planId === undefined ? {} : { planId });
  const plan = await withPlanKey(context, (planKey) => signPlan(unsigned, planKey));
  if (options.out !== undefined) await writeJsonFileAtomic(options.out, plan, context.cwd);
  if (plan.steps.length === 0) {
    context.output.result({ planId: plan.id, status: "nothing-to-do", steps: [], irreversible: plan.irreversible }, (c) =>
      [
        `${c.green("✔")} Nothing to roll back: the journal records no reversible change that is still in place.`,
        ...plan.irreversible.map((item) => `  ${c.yellow("cannot undo")} ${item.kind} (${item.stepId}): ${item.reason}`),
      ].join("\n"),
    );
    return ExitCode.Success;
  }
  const dryRun = options.dryRun === true;
  const interrupt = onInterrupt(context);
  try {
    const approve = chooseApprover(context, plan, options, interrupt.signal);
    if (context.output.format === "text") context.output.note(formatPlan(plan));
    const notifier = new CliNotifier(context.output);
    const { result, report } = await withEnvironment(context, { persist: !dryRun }, async (env) => {
      const applied = await runPlan(context, { plan, env, journal: opened.journal, approve, notifier, dryRun, ...(dryRun && options.yes === true ? { dryRunApproved: true } : {}), signal: interrupt.signal, planKey: await planKeyFor(context, env) });
      return {
        result: applied,
        report: buildIncidentReport({
          generatedAt: env.now().toISOString(),
          mode: env.mode,
          plan,
          dryRun,
          outcomes: stepOutcomesFromResult(applied),
          journal: opened.displayPath,
          applyCommand: commandLine(context, ["rollback", "--journal", opened.displayPath, ...(planId === undefined ? [] : ["--plan", planId])], { sandbox: env.mode === "sandbox" }),
        }),
      };
    });
    for (const item of plan.irreversible) report.followUp.push(`Cannot be undone: ${item.kind} (${item.stepId}): ${item.reason}`);
    context.output.result({ planId: plan.id, rollbackOf: plan.basedOn.rollbackOf ?? null, status: result.status, dryRun, steps: result.steps, irreversible: plan.irreversible, report }, (c) =>
      `${renderIncidentText(report, c)}\n${c.bold("Rollback")} ${plan.id}: ${result.status}${dryRun ? " (dry run)" : ""}`,
    );
    return exitCodeFor(result);
  } finally {
    interrupt.dispose();
  }
}
