import { systemClock } from "@keywarden/core";
import type { KeyVaultAlert } from "@keywarden/alerts";
import type { ExistingSuppressionRule, LintFinding, SuppressionApplyResult, SuppressionPlan, SuppressionRule, ValidationIssue } from "@keywarden/suppression";

import { createAlertsClient } from "../environment/alerts-client.js";
import type { AzureEnvironment } from "../environment/azure-environment.js";
import { withEnvironment } from "../environment/open-environment.js";
import { CliError, CliErrorCode } from "../errors/cli-error.js";
import { parseAlertsFromJson } from "../input/alert-input.js";
import { readInputText, readJsonInput } from "../input/read-input.js";
import { askApproval } from "../runtime/approval-prompt.js";
import type { CommandContext } from "../runtime/command-context.js";
import { ExitCode } from "../runtime/exit-code.js";
import type { Colors } from "../runtime/output.js";
import { defaultJournalPath, openJournal } from "../runtime/journal-file.js";
import { onInterrupt } from "../runtime/interrupt.js";
import { writeJsonFileAtomic } from "../sandbox/seed-file.js";

/** Reads and validates a rules file; every problem is listed at once (stderr), and the command exits 2. */
async function loadRules(context: CommandContext, file: string): Promise<SuppressionRule[] | { issues: readonly ValidationIssue[] }> {
  const text = await readInputText(context, file, "rules file");
  const { parseSuppressionRules } = await import("@keywarden/suppression");
  const result = parseSuppressionRules(text, { source: file });
  if (!result.valid) return { issues: result.issues };
  return [...result.rules];
}

/** The one-line error for an invalid rules file; every issue was already printed. */
function invalidRulesError(file: string, issues: readonly ValidationIssue[]): CliError {
  return new CliError(CliErrorCode.InvalidRules, `${file} has ${issues.length} invalid rule propert${issues.length === 1 ? "y" : "ies"}; nothing was done.`);
}

/** Prints every validation issue (text: stderr lines; json: the result document) and returns the exit error. */
async function reportInvalidRules(context: CommandContext, file: string, issues: readonly ValidationIssue[]): Promise<never> {
  const { formatValidationIssue } = await import("@keywarden/suppression");
  if (context.output.format === "json") {
    context.output.result({ file, valid: false, issues }, () => "");
  } else {
    // Validation issues make the file unusable: they are errors, printed as such (every one of them).
    for (const issue of issues) context.output.error(formatValidationIssue(issue));
  }
  throw invalidRulesError(file, issues);
}

async function alertsFromFile(context: CommandContext, file: string): Promise<KeyVaultAlert[]> {
  const json = await readJsonInput(context, file, "alerts file");
  return parseAlertsFromJson(json, file);
}

async function alertsFromTenant(env: AzureEnvironment): Promise<KeyVaultAlert[]> {
  const client = await createAlertsClient(env);
  const alerts: KeyVaultAlert[] = [];
  for await (const alert of client.listAlerts({ subscriptionIds: [...env.subscriptionIds], includeSimulated: true })) alerts.push(alert);
  return alerts;
}

function renderFindings(findings: readonly LintFinding[], c: Colors): string[] {
  return findings.map((finding) => {
    const label = finding.severity === "error" ? c.red("error") : finding.severity === "warning" ? c.yellow("warning") : c.cyan("info");
    return `${label} ${finding.rule}${finding.path === "" ? "" : ` ${c.dim(finding.path)}`}: ${finding.message}\n    fix: ${finding.fix} ${c.dim(`[${finding.code}]`)}`;
  });
}

/** `keywarden suppress lint <rules-file> [--alerts FILE]`: exit 1 when a finding is an error, 2 when the file is invalid. */
export async function suppressLint(context: CommandContext, file: string, options: { alerts?: string } = {}): Promise<number> {
  const loaded = await loadRules(context, file);
  if (!Array.isArray(loaded)) return reportInvalidRules(context, file, loaded.issues);
  const { lintSuppressionRules } = await import("@keywarden/suppression");
  const alerts = options.alerts === undefined ? undefined : await alertsFromFile(context, options.alerts);
  // Judged at the environment's time, like apply: a sandbox rule expires on the sandbox's clock, not the machine's.
  const now = await withEnvironment(context, {}, (env) => Promise.resolve(env.now()));
  const findings = lintSuppressionRules(loaded, { now, ...(alerts === undefined ? {} : { alerts }) });
  const errors = findings.filter((finding) => finding.severity === "error").length;
  context.output.result({ file, valid: true, rules: loaded.length, findings }, (c) =>
    [
      ...renderFindings(findings, c),
      `${findings.length === 0 ? c.green("✔") : errors > 0 ? c.red("✘") : c.yellow("!")} ${loaded.length} rule(s), ${errors} error(s), ${findings.length - errors} other finding(s)`,
    ].join("\n"),
  );
  return errors > 0 ? ExitCode.Failure : ExitCode.Success;
}

/** `keywarden suppress preview <rules-file> [--alerts FILE]`: which alerts each rule would have suppressed. */
export async function suppressPreview(context: CommandContext, file: string, options: { alerts?: string }): Promise<number> {
  const loaded = await loadRules(context, file);
  if (!Array.isArray(loaded)) return reportInvalidRules(context, file, loaded.issues);
  const { previewSuppression } = await import("@keywarden/suppression");
  const fromFile = options.alerts === undefined ? undefined : await alertsFromFile(context, options.alerts);
  // The environment's time decides which rules are active (expired or not yet), as it does for apply.
  const { alerts, at } = await withEnvironment(context, { requireSubscription: fromFile === undefined }, async (env) => ({
    alerts: fromFile ?? (await alertsFromTenant(env)),
    at: env.now(),
  }));
  const preview = previewSuppression(loaded, alerts, { at });
  const data = {
    file,
    total: preview.total,
    suppressedAlertIds: preview.suppressedAlertIds,
    rules: preview.rules,
  };
  context.output.result(data, (c) => {
    const lines: string[] = [];
    for (const rule of preview.rules) {
      lines.push(`${c.bold(rule.rule)} (${rule.alertType})${rule.active ? "" : c.yellow(" inactive")}: suppresses ${rule.suppressed.length} of ${rule.considered} alert(s) of its type`);
      for (const alert of rule.suppressed) lines.push(`  ${c.red("hidden")}  ${alert.alertId} ${c.dim(`(${alert.because})`)}`);
      for (const alert of rule.notSuppressed) {
        const why = alert.because.kind === "condition-failed" ? `condition ${alert.because.conditionIndex} (${alert.because.condition.field}) did not match` : alert.because.kind;
        lines.push(`  ${c.green("shown")}   ${alert.alertId} ${c.dim(`(${why})`)}`);
      }
    }
    lines.push(`${preview.suppressedAlertIds.length} of ${preview.total} alert(s) would be suppressed.`);
    return lines.join("\n");
  });
  return ExitCode.Success;
}

async function existingRules(env: AzureEnvironment, subscriptionId: string): Promise<ExistingSuppressionRule[]> {
  const { createArmSuppressionRulesStore } = await import("@keywarden/suppression");
  const store = createArmSuppressionRulesStore({
    credential: env.credential,
    subscriptionId,
    ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }),
  });
  const rules: ExistingSuppressionRule[] = [];
  for await (const rule of store.list()) rules.push(rule);
  return rules;
}

interface SubscriptionPlan {
  subscriptionId: string;
  plan: SuppressionPlan;
}

async function planAll(env: AzureEnvironment, rules: readonly SuppressionRule[], prune: boolean): Promise<SubscriptionPlan[]> {
  const { planSuppressionChanges } = await import("@keywarden/suppression");
  const plans: SubscriptionPlan[] = [];
  for (const subscriptionId of env.subscriptionIds) {
    plans.push({ subscriptionId, plan: planSuppressionChanges(rules, await existingRules(env, subscriptionId), { prune }) });
  }
  return plans;
}

async function renderPlans(plans: readonly SubscriptionPlan[]): Promise<string> {
  const { formatSuppressionPlan } = await import("@keywarden/suppression");
  return plans.map((entry) => `Subscription ${entry.subscriptionId}\n${formatSuppressionPlan(entry.plan)}`).join("\n\n");
}

/** `keywarden suppress plan <rules-file> [--no-prune] [--out FILE]` */
export async function suppressPlan(context: CommandContext, file: string, options: { prune: boolean; out?: string }): Promise<number> {
  const loaded = await loadRules(context, file);
  if (!Array.isArray(loaded)) return reportInvalidRules(context, file, loaded.issues);
  const plans = await withEnvironment(context, { requireSubscription: true }, (env) => planAll(env, loaded, options.prune));
  if (options.out !== undefined) await writeJsonFileAtomic(options.out, plans, context.cwd);
  const text = await renderPlans(plans);
  context.output.result({ file, plans }, () => text);
  return ExitCode.Success;
}

/** `keywarden suppress apply <rules-file>`: plan, approve (TTY or --yes), apply, journaled. */
export async function suppressApply(
  context: CommandContext,
  file: string,
  options: { prune: boolean; dryRun?: boolean; yes?: boolean; journal?: string },
): Promise<number> {
  const loaded = await loadRules(context, file);
  if (!Array.isArray(loaded)) return reportInvalidRules(context, file, loaded.issues);
  const dryRun = options.dryRun === true;
  const { applySuppressionChanges } = await import("@keywarden/suppression");
  const interrupt = onInterrupt(context);
  try {
    const results = await withEnvironment(context, { persist: !dryRun, requireSubscription: true }, async (env) => {
      // Lint errors refuse the apply (--yes included) before anything is planned or written; the library refuses too.
      const { lintSuppressionRules } = await import("@keywarden/suppression");
      const lintErrors = lintSuppressionRules(loaded, { now: env.now() }).filter((finding) => finding.severity === "error");
      if (lintErrors.length > 0) {
        for (const finding of lintErrors) {
          context.output.error(`${finding.rule}${finding.path === "" ? "" : ` ${finding.path}`}: ${finding.message} (fix: ${finding.fix}) [${finding.code}]`);
        }
        throw new CliError(CliErrorCode.InvalidRules, `${file} has ${lintErrors.length} lint error(s): nothing was applied. Fix them (see \`keywarden suppress lint ${file}\`).`);
      }
      const plans = await planAll(env, loaded, options.prune);
      const changes = plans.reduce((sum, entry) => sum + entry.plan.changes.length, 0);
      context.output.note(await renderPlans(plans));
      if (changes > 0 && !dryRun && options.yes !== true) {
        if (!context.output.canPrompt) {
          throw new CliError(CliErrorCode.ApprovalUnavailable, `${changes} suppression change(s) need approval: run in a terminal, or pass --yes to approve them.`);
        }
        const answer = await askApproval(context.output, `Apply ${changes} suppression change(s)?`, interrupt.signal);
        if (answer !== "yes" && answer !== "all") {
          throw new CliError(CliErrorCode.ApprovalUnavailable, "Not approved: nothing was written.");
        }
      }
      const applied: { subscriptionId: string; result: SuppressionApplyResult }[] = [];
      for (const entry of plans) {
        const journal = await openJournal(context, options.journal ?? defaultJournalPath(context, entry.plan.planId), { purpose: `suppress apply ${entry.plan.planId}` });
        const result = await applySuppressionChanges(entry.plan, {
          credential: env.credential,
          subscriptionId: entry.subscriptionId,
          ...(env.retryOptions === undefined ? {} : { clientOptions: { retryOptions: env.retryOptions } }),
          dryRun,
          journal: journal.journal,
          abortSignal: interrupt.signal,
          clock: { now: () => env.now().getTime(), sleep: (ms, signal) => systemClock.sleep(ms, signal) },
        }).finally(() => journal.close());
        applied.push({ subscriptionId: entry.subscriptionId, result });
      }
      return applied;
    });
    const ok = results.every((entry) => entry.result.ok);
    context.output.result({ file, dryRun, ok, results }, (c) =>
      results
        .flatMap((entry) => [
          `Subscription ${entry.subscriptionId}: ${entry.result.ok ? c.green("ok") : c.red("failed")}${dryRun ? " (dry run)" : ""}`,
          ...entry.result.steps.map((step) => `  ${step.status.padEnd(15)} ${step.kind} ${step.name}${step.error === undefined ? "" : `: ${step.error.message}`}`),
        ])
        .join("\n"),
    );
    if (interrupt.interrupted) return ExitCode.Interrupted;
    return ok ? ExitCode.Success : ExitCode.Failure;
  } finally {
    interrupt.dispose();
  }
}
