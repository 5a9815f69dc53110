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
import { commandLine } from "../runtime/command-line.js";
import { ExitCode } from "../runtime/exit-code.js";
import type { Colors } from "../runtime/output.js";
import { defaultJournalPath, openJournal } from "../runtime/journal-file.js";
import { onInterrupt } from "../runtime/interrupt.js";
import { writeJsonFileAtomic } from "../sandbox/seed-file.js";
import { safeField as t } from "../render/safe-field.js";

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
    return `${label} ${t(finding.rule)}${finding.path === "" ? "" : ` ${c.dim(t(finding.path))}`}: ${t(finding.message)}\n    fix: ${t(finding.fix)} ${c.dim(`[${t(finding.code)}]`)}`;
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
      lines.push(`${c.bold(t(rule.rule))} (${t(rule.alertType)})${rule.active ? "" : c.yellow(" inactive")}: suppresses ${rule.suppressed.length} of ${rule.considered} alert(s) of its type`);
      for (const alert of rule.suppressed) lines.push(`  ${c.red("hidden")}  ${t(alert.alertId)} ${c.dim(`(${t(alert.because)})`)}`);
      for (const alert of rule.notSuppressed) {
        const why = alert.because.kind === "condition-failed" ? `condition ${alert.because.conditionIndex} (${alert.because.condition.field}) did not match` : alert.because.kind;
        lines.push(`  ${c.green("shown")}   ${t(alert.alertId)} ${c.dim(`(${t(why)})`)}`);
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
  return plans.map((entry) => `Subscription ${t(entry.subscriptionId)}\n${formatSuppressionPlan(entry.plan)}`).join("\n\n");
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

/** A `suppress plan --out` file: one plan per subscription. */
interface SavedPlanEntry {
  subscriptionId: string;
  plan: SuppressionPlan;
}

/** `undefined` when `text` is not a saved plan (a rules file); the entries when it is one. */
function savedPlansOf(text: string): SavedPlanEntry[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const isEntry = (value: unknown): boolean => {
    if (typeof value !== "object" || value === null) return false;
    const entry = value as { subscriptionId?: unknown; plan?: { planId?: unknown; changes?: unknown; issues?: unknown } };
    return typeof entry.subscriptionId === "string" && typeof entry.plan?.planId === "string" && Array.isArray(entry.plan.changes);
  };
  return Array.isArray(json) && json.length > 0 && json.every(isEntry) ? (json as SavedPlanEntry[]) : undefined;
}

/** A rule's content as it matters for the check: everything but the ARM id (its casing varies). */
function ruleFingerprint(rule: ExistingSuppressionRule): string {
  const expires = rule.expiresOn === undefined ? null : new Date(rule.expiresOn).toISOString();
  return JSON.stringify([rule.name.toLowerCase(), rule.alertType, rule.reason, rule.comment ?? null, expires, rule.state, rule.scope, rule.lastModified ?? null]);
}

/**
 * What changed in the subscription since the plan was made, in words: a rule the plan creates now exists, a rule
 * it updates, extends or deletes is gone or differs from what the plan saw. Empty when the plan still holds.
 */
export function staleSavedPlan(plan: SuppressionPlan, live: readonly ExistingSuppressionRule[]): string[] {
  const byName = new Map(live.map((rule) => [rule.name.toLowerCase(), rule]));
  const problems: string[] = [];
  for (const change of plan.changes) {
    const current = byName.get(change.name.toLowerCase());
    if (change.kind === "create") {
      if (current !== undefined) problems.push(`${change.name}: the plan creates it, but it exists now`);
      continue;
    }
    if (current === undefined) problems.push(`${change.name}: the plan ${change.kind}s it, but it no longer exists`);
    else if (ruleFingerprint(current) !== ruleFingerprint(change.before)) problems.push(`${change.name}: changed since the plan was made (the plan would ${change.kind} a rule it never saw)`);
  }
  for (const name of plan.unchanged) {
    if (!byName.has(name.toLowerCase())) problems.push(`${name}: the plan found it unchanged, but it no longer exists`);
  }
  return problems;
}

/** Reads the saved plans again from Azure and refuses them (every problem listed) when the live rules changed. */
async function checkSavedPlans(context: CommandContext, env: AzureEnvironment, file: string, saved: readonly SavedPlanEntry[]): Promise<SubscriptionPlan[]> {
  const problems: string[] = [];
  for (const entry of saved) {
    if (entry.plan.issues.length > 0) problems.push(`subscription ${entry.subscriptionId}: the plan has ${entry.plan.issues.length} validation issue(s) and no changes`);
    for (const problem of staleSavedPlan(entry.plan, await existingRules(env, entry.subscriptionId))) problems.push(`subscription ${entry.subscriptionId}: ${problem}`);
  }
  if (problems.length > 0) {
    for (const problem of problems) context.output.error(`${file}: ${problem}`);
    throw new CliError(
      CliErrorCode.SuppressionPlanStale,
      `${file} no longer matches the live suppression rules (${problems.length} problem(s), listed above); nothing was applied. Plan again: keywarden suppress plan <rules-file> --out ${file}.`,
    );
  }
  return saved.map((entry) => ({ subscriptionId: entry.subscriptionId, plan: entry.plan }));
}

/**
 * `keywarden suppress apply <rules-file | plan.json>`: plan (or take the saved plan from `suppress plan --out`,
 * re-checked against the live rules), approve (TTY or --yes), apply, journaled.
 */
export async function suppressApply(
  context: CommandContext,
  file: string,
  options: { prune: boolean; dryRun?: boolean; yes?: boolean; journal?: string },
): Promise<number> {
  const saved = savedPlansOf(await readInputText(context, file, "rules file or saved plan"));
  const loaded = saved === undefined ? await loadRules(context, file) : undefined;
  if (loaded !== undefined && !Array.isArray(loaded)) return reportInvalidRules(context, file, loaded.issues);
  const dryRun = options.dryRun === true;
  const { applySuppressionChanges } = await import("@keywarden/suppression");
  const interrupt = onInterrupt(context);
  try {
    const results = await withEnvironment(context, { persist: !dryRun, requireSubscription: saved === undefined }, async (env) => {
      let plans: SubscriptionPlan[];
      if (saved !== undefined) {
        // Exactly the saved plan, and only while the live rules are still what it was made from.
        plans = await checkSavedPlans(context, env, file, saved);
      } else {
        const rules = loaded as SuppressionRule[];
        // Lint errors refuse the apply (--yes included) before anything is planned or written; the library refuses too.
        const { lintSuppressionRules } = await import("@keywarden/suppression");
        const lintErrors = lintSuppressionRules(rules, { now: env.now() }).filter((finding) => finding.severity === "error");
        if (lintErrors.length > 0) {
          for (const finding of lintErrors) {
            context.output.error(`${finding.rule}${finding.path === "" ? "" : ` ${finding.path}`}: ${finding.message} (fix: ${finding.fix}) [${finding.code}]`);
          }
          throw new CliError(CliErrorCode.InvalidRules, `${file} has ${lintErrors.length} lint error(s): nothing was applied. Fix them (see \`${commandLine(context, ["suppress", "lint", file])}\`).`);
        }
        plans = await planAll(env, rules, options.prune);
      }
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
    context.output.result({ file, ...(saved === undefined ? {} : { savedPlan: true }), dryRun, ok, results }, (c) =>
      results
        .flatMap((entry) => [
          `Subscription ${t(entry.subscriptionId)}: ${entry.result.ok ? c.green("ok") : c.red("failed")}${dryRun ? " (dry run)" : ""}`,
          ...entry.result.steps.map((step) => `  ${t(step.status).padEnd(15)} ${t(step.kind)} ${t(step.name)}${step.error === undefined ? "" : `: ${t(step.error.message)}`}`),
        ])
        .join("\n"),
    );
    if (interrupt.interrupted) return ExitCode.Interrupted;
    return ok ? ExitCode.Success : ExitCode.Failure;
  } finally {
    interrupt.dispose();
  }
}
