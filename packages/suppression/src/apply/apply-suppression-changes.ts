import { SuppressionError } from "../errors/suppression-error.js";
import type { Clock, Journal, JournalError, KeywardenClientOptions, NewJournalEntry } from "@keywarden/core";
import type { TokenCredential } from "@azure/core-auth";
import { createArmSuppressionRulesStore } from "../azure/arm-suppression-rules-store.js";
import type { SuppressionRulesStore } from "../azure/suppression-rules-store.js";
import { SuppressionCodes } from "../errors/suppression-error-codes.js";
import { SuppressionLintError } from "../errors/suppression-lint-error.js";
import { SuppressionValidationError } from "../errors/suppression-validation-error.js";
import type { LintFinding } from "../lint/lint-finding.js";
import { lintSuppressionRules, type LintSuppressionRulesOptions } from "../lint/lint-suppression-rules.js";
import { differingProperties, sameInstant, scopeSignature } from "../plan/compare-rules.js";
import type { ExistingSuppressionRule } from "../plan/existing-suppression-rule.js";
import type { SuppressionChange, SuppressionPlan } from "../plan/suppression-plan.js";
import { toRuleDocument } from "../rule/rule-document.js";
import type { SuppressionRule } from "../rule/suppression-rule.js";
import { validateSuppressionRules } from "../validate/validate-suppression-rules.js";
import type { ValidationIssue } from "../validate/validation-issue.js";
import { retryOnThrottle, systemClock } from "@keywarden/core";
import type { ThrottleOptions } from "./throttle-options.js";
import { logger, safe } from "../log.js";
import { toJournalError } from "./to-journal-error.js";
import { updateCoveredAlerts, type UpdateCoveredAlertsOptions, type UpdateCoveredAlertsResult } from "./update-covered-alerts.js";


export interface ApplySuppressionChangesOptions {
  /** Where the rules live. Give this, or `credential` + `subscriptionId`. */
  store?: SuppressionRulesStore;
  credential?: TokenCredential;
  subscriptionId?: string;
  /** Client options of the `SecurityCenter` client built from `credential` (retry options, additional policies, `endpoint` is not among them: ARM only). */
  clientOptions?: KeywardenClientOptions;
  /** Read and report, write nothing. */
  dryRun?: boolean;
  /** Every step is journaled (planned, started, succeeded / failed / skipped) with before and after state. */
  journal?: Journal;
  abortSignal?: AbortSignal;
  /**
   * Time for journal entries, rule expiry and Retry-After dates, and the waits between throttled attempts
   * (inject `createManualClock()` from `@keywarden/core` in tests). Default: the system clock.
   */
  clock?: Clock;
  /** 429 handling beyond the SDK's own retries. */
  throttling?: ThrottleOptions;
  /**
   * After the rules are in place, also dismiss (or resolve) the existing open alerts they cover: the service only
   * suppresses new alerts. `rules` defaults to the rules the plan creates, updates or extends.
   */
  updateAlerts?: Pick<UpdateCoveredAlertsOptions, "alerts" | "action"> & { rules?: readonly SuppressionRule[] };
  /** Lint settings for the rules the plan writes (judged at `clock.now()`). A plan with lint errors is refused. */
  lint?: Omit<LintSuppressionRulesOptions, "now">;
  /**
   * Apply although the rules have lint errors. The reason and the findings are journaled; without it a plan with
   * lint errors throws `SuppressionLintError` (`KW_SUPPRESSION_E0007`) and writes nothing.
   */
  allowLintErrors?: { reason: string };
}

export type SuppressionStepStatus = "applied" | "already-applied" | "would-apply" | "failed" | "not-run";

export interface SuppressionStepResult {
  readonly stepId: string;
  readonly kind: SuppressionChange["kind"];
  readonly name: string;
  readonly status: SuppressionStepStatus;
  /** The rule as read before the step (absent when it did not exist). */
  readonly before?: ExistingSuppressionRule;
  /** The rule as read back after the step (absent after a delete). */
  readonly after?: ExistingSuppressionRule;
  readonly error?: JournalError;
}

export interface SuppressionApplyResult {
  readonly planId: string;
  readonly dryRun: boolean;
  /** True when no step failed. */
  readonly ok: boolean;
  readonly steps: readonly SuppressionStepResult[];
  /** The bulk alert update, when `updateAlerts` was asked for and every rule step succeeded. */
  readonly alerts?: UpdateCoveredAlertsResult;
}

/**
 * Applies a suppression plan: idempotent (each step first reads the rule and skips when it is already as desired, so
 * re-applying, or resuming after a failure, is safe), verifying (each write is read back), journaled, and patient with
 * throttling. Refuses the whole plan, writing nothing, when any rule in it is invalid. Stops at the first failed step;
 * the remaining steps are reported `not-run`.
 */
export async function applySuppressionChanges(plan: SuppressionPlan, options: ApplySuppressionChangesOptions): Promise<SuppressionApplyResult> {
  const clock = options.clock ?? systemClock;
  const now = (): Date => new Date(clock.now());
  const about = `suppression plan ${safe(plan.planId)}`;
  const issues = planIssues(plan, now());
  if (issues.length > 0) {
    for (const issue of issues) logger.verbose(`${about}: refused: ${issue.code} in rule ${safe(issue.rule)} at ${safe(issue.path)} (expected ${safe(issue.expected)})`);
    throw new SuppressionValidationError(issues, `suppression plan ${plan.planId}`);
  }

  const lintErrors = planLintErrors(plan, now(), options.lint);
  const override = options.allowLintErrors?.reason.trim();
  for (const finding of lintErrors) logger.verbose(`${about}: lint error ${finding.code} in rule ${safe(finding.rule)}`);
  if (lintErrors.length > 0 && (override === undefined || override === "")) {
    logger.verbose(`${about}: refused: ${lintErrors.length} lint error(s) and no allowLintErrors reason`);
    throw new SuppressionLintError(lintErrors, `suppression plan ${plan.planId}`);
  }
  if (lintErrors.length > 0) logger.verbose(`${about}: applies despite ${lintErrors.length} lint error(s), because: ${safe(override ?? "")}`);

  const store = resolveStore(options);
  const dryRun = options.dryRun ?? false;
  const signal = options.abortSignal;
  const journal = options.journal;
  const record = async (entry: Omit<NewJournalEntry, "time" | "planId" | "dryRun">) => {
    if (journal !== undefined) await journal.append({ time: now().toISOString(), planId: plan.planId, ...(dryRun ? { dryRun: true } : {}), ...entry });
  };
  const retry = <T>(stepId: string, kind: string, operation: () => Promise<T>) =>
    retryOnThrottle(operation, {
      ...options.throttling,
      clock,
      ...(signal === undefined ? {} : { abortSignal: signal }),
      onThrottle: (attempt, delayInMs) =>
        record({ stepId, kind, event: "started", code: SuppressionCodes.throttled, message: `Throttled (HTTP 429); waiting ${delayInMs} ms before attempt ${attempt + 1}.`, data: { attempt, delayInMs } }),
    });

  if (lintErrors.length > 0) {
    await record({
      stepId: "",
      kind: "plan",
      event: "approved",
      code: SuppressionCodes.lintOverridden,
      message: `Applied despite ${lintErrors.length} lint error(s): ${override ?? ""}`,
      data: { reason: override ?? "", findings: lintErrors.map((finding) => `${finding.code} ${finding.rule}`) },
    });
  }
  const steps = plan.changes.map((change, index) => ({ change, stepId: `${index + 1}-${change.kind}-${change.name}`, kind: `suppression-${change.kind}` }));
  await record({ stepId: "", kind: "plan", event: "planned", code: SuppressionCodes.changePlanned, message: `Suppression plan with ${plan.changes.length} change(s).`, data: { changes: plan.changes.length, unchanged: plan.unchanged.length } });
  for (const { change, stepId, kind } of steps) {
    await record({ stepId, kind, event: "planned", code: SuppressionCodes.changePlanned, message: describeChange(change), ...beforeAfter(change) });
  }

  const results: SuppressionStepResult[] = [];
  let failed = false;
  for (const { change, stepId, kind } of steps) {
    if (failed) {
      results.push({ stepId, kind: change.kind, name: change.name, status: "not-run" });
      logger.verbose(`${about} step ${safe(stepId)}: not run: an earlier step failed`);
      await record({ stepId, kind, event: "skipped", code: SuppressionCodes.changeSkipped, message: `Not run: an earlier step failed. Re-apply the plan to resume.` });
      continue;
    }
    try {
      signal?.throwIfAborted();
      const before = await retry(stepId, kind, () => store.get(change.name, { ...(signal === undefined ? {} : { abortSignal: signal }) }));
      const base = { stepId, kind: change.kind, name: change.name, ...(before === undefined ? {} : { before }) };
      if (isSatisfied(change, before)) {
        results.push({ ...base, status: "already-applied", ...(before === undefined ? {} : { after: before }) });
        logger.verbose(`${about} step ${safe(stepId)}: ${change.kind} ${safe(change.name)} skipped: the rule in Azure is already as desired`);
        await record({ stepId, kind, event: "skipped", code: SuppressionCodes.changeSkipped, message: `${change.name}: already as desired, nothing to do.`, ...(before === undefined ? {} : { before }) });
        continue;
      }
      if (dryRun) {
        results.push({ ...base, status: "would-apply" });
        logger.verbose(`${about} step ${safe(stepId)}: dry run: would ${change.kind} ${safe(change.name)}`);
        await record({ stepId, kind, event: "skipped", code: SuppressionCodes.changeSkipped, message: `Dry run: would ${change.kind} ${change.name}.`, ...(before === undefined ? {} : { before }), ...afterOf(change) });
        continue;
      }
      // Someone changed the rule between planning and now: the desired state still wins, but the journal says so.
      const drifted = hasDrifted(change, before);
      if (drifted) {
        logger.verbose(
          `${about} step ${safe(stepId)}: ${safe(change.name)} changed in Azure since the plan was made (${before === undefined ? "it is gone" : "it no longer matches the plan's before"}); the plan's version replaces it`,
        );
      }
      await record({
        stepId,
        kind,
        event: "started",
        code: SuppressionCodes.changePlanned,
        message: `${describeChange(change)}: writing.${drifted ? " The rule changed in Azure since the plan was made; the plan's version replaces it." : ""}`,
        ...(before === undefined ? {} : { before }),
        data: { drifted },
      });
      logger.info(`suppression ${plan.planId} step ${stepId}: ${change.kind} ${change.name}`);
      if (change.kind === "delete") await retry(stepId, kind, () => store.delete(change.name, signal === undefined ? {} : { abortSignal: signal }));
      else await retry(stepId, kind, () => store.put(change.after, signal === undefined ? {} : { abortSignal: signal }));

      // The write returned; read it back rather than trusting it (state changes have been known to report success and
      // not happen, azure-cli#20487).
      const after = await retry(stepId, kind, () => store.get(change.name, signal === undefined ? {} : { abortSignal: signal }));
      if (!isSatisfied(change, after)) {
        throw new SuppressionError(SuppressionCodes.verifyFailed, `${change.name}: read back after ${change.kind} does not match the plan. Apply the plan again, or check for another writer of this rule.`);
      }
      results.push({ ...base, status: "applied", ...(after === undefined ? {} : { after }) });
      await record({ stepId, kind, event: "succeeded", code: SuppressionCodes.changeApplied, message: `${describeChange(change)}: done and verified.`, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) });
    } catch (error) {
      failed = true;
      const journalError = toJournalError(error);
      logger.warning(`suppression ${plan.planId} step ${stepId} failed: ${journalError.message}`);
      results.push({ stepId, kind: change.kind, name: change.name, status: "failed", error: journalError });
      await record({ stepId, kind, event: "failed", code: SuppressionCodes.changeFailed, message: `${describeChange(change)}: failed: ${journalError.message}`, error: journalError });
    }
  }
  if (failed || options.updateAlerts === undefined) return { planId: plan.planId, dryRun, ok: !failed, steps: results };
  const alerts = await updateCoveredAlerts(options.updateAlerts.rules ?? plan.changes.flatMap((change) => (change.kind === "delete" ? [] : [change.after])), {
    alerts: options.updateAlerts.alerts,
    action: options.updateAlerts.action,
    dryRun,
    planId: plan.planId,
    clock,
    ...(journal === undefined ? {} : { journal }),
    ...(signal === undefined ? {} : { abortSignal: signal }),
    ...(options.throttling === undefined ? {} : { throttling: options.throttling }),
  });
  return { planId: plan.planId, dryRun, ok: alerts.ok, steps: results, alerts };
}

/** Every problem that makes a plan unsafe to apply: its own issues, and any rule in it that does not validate. */
/** Lint errors of the rules the plan writes (deletions write nothing to lint). */
function planLintErrors(plan: SuppressionPlan, now: Date, lint: Omit<LintSuppressionRulesOptions, "now"> | undefined): LintFinding[] {
  const rules = plan.changes.flatMap((change) => (change.kind === "delete" ? [] : [change.after]));
  if (rules.length === 0) return [];
  return lintSuppressionRules(rules, { ...lint, now }).filter((finding) => finding.severity === "error");
}

function planIssues(plan: SuppressionPlan, now: Date): ValidationIssue[] {
  if (plan.issues.length > 0) return [...plan.issues];
  const rules = plan.changes.flatMap((change) => (change.kind === "delete" ? [] : [change.after]));
  const issues = [...validateSuppressionRules(rules.map((rule) => toRuleDocument(rule))).issues];
  for (const rule of rules) {
    // The service rejects an expiry that is not in the future; catch it before the first write, not half-way through.
    if (rule.expiresOn !== undefined && Date.parse(rule.expiresOn) <= now.getTime()) {
      issues.push({
        code: SuppressionCodes.invalidExpiry,
        rule: rule.name,
        path: "$.expiresOn",
        value: rule.expiresOn,
        expected: `an instant after now (${now.toISOString()})`,
        fix: "extend expiresOn, or remove the rule from the desired rules to delete it",
      });
    }
  }
  for (const change of plan.changes) {
    if (change.kind !== "delete" && change.after.name.toLowerCase() !== change.name.toLowerCase()) {
      issues.push({ code: SuppressionCodes.duplicateName, rule: change.name, path: "$.changes", value: change.after.name, expected: "the change's name and its rule's name to agree", fix: "re-create the plan with planSuppressionChanges" });
    }
  }
  return issues;
}

function resolveStore(options: ApplySuppressionChangesOptions): SuppressionRulesStore {
  if (options.store !== undefined) return options.store;
  if (options.credential !== undefined && options.subscriptionId !== undefined) {
    return createArmSuppressionRulesStore({ credential: options.credential, subscriptionId: options.subscriptionId, ...(options.clientOptions === undefined ? {} : { clientOptions: options.clientOptions }) });
  }
  throw new TypeError("applySuppressionChanges: pass options.store, or options.credential and options.subscriptionId");
}

function isSatisfied(change: SuppressionChange, current: ExistingSuppressionRule | undefined): boolean {
  if (change.kind === "delete") return current === undefined;
  return current !== undefined && differingProperties(current, change.after).length === 0;
}

function hasDrifted(change: SuppressionChange, current: ExistingSuppressionRule | undefined): boolean {
  if (change.kind === "create") return current !== undefined;
  if (current === undefined) return true;
  const planned = change.before;
  return current.alertType !== planned.alertType || current.reason !== planned.reason || (current.comment ?? "") !== (planned.comment ?? "") ||
    current.state !== planned.state || !sameInstant(current.expiresOn, planned.expiresOn) || scopeSignature(current.scope) !== scopeSignature(planned.scope);
}

function describeChange(change: SuppressionChange): string {
  switch (change.kind) {
    case "create":
      return `Create suppression rule ${change.name} (${change.after.alertType})`;
    case "update":
      return `Update suppression rule ${change.name} (${change.changed.join(", ")})`;
    case "extend":
      return `Extend suppression rule ${change.name} to ${change.to}`;
    case "delete":
      return `Delete suppression rule ${change.name}`;
  }
}

function beforeAfter(change: SuppressionChange): { before?: unknown; after?: unknown } {
  return { ...("before" in change ? { before: change.before } : {}), ...afterOf(change) };
}

function afterOf(change: SuppressionChange): { after?: SuppressionRule } {
  return change.kind === "delete" ? {} : { after: change.after };
}
