import { logger, maxDecisionLinesPerKind, safe } from "../log.js";
import { isInCondition, type ScopeCondition } from "../rule/suppression-rule.js";
import type { NotSuppressedBecause, RulePreview, SuppressedAlert, SuppressedBecause, UnsuppressedAlert } from "./preview-suppression.js";

const suppressedWhy: Readonly<Record<SuppressedBecause, string>> = {
  "scope-matched": "every scope condition matched an entity of the alert",
  "no-scope": "the rule has no scope, so it covers every alert of its type",
  "no-entities": "the alert carries no entities, which the service suppresses whatever the scope",
};

function describeCondition(condition: ScopeCondition): string {
  return isInCondition(condition)
    ? `${safe(condition.field)} in [${condition.in.map(safe).join(", ")}]`
    : `${safe(condition.field)} contains "${safe(condition.contains)}"`;
}

function notSuppressedWhy(because: NotSuppressedBecause): string {
  switch (because.kind) {
    case "rule-disabled":
      return "the rule is disabled";
    case "rule-expired":
      return `the rule expired at ${safe(because.expiresOn)}`;
    case "condition-failed":
      return `condition ${because.conditionIndex} (${describeCondition(because.condition)}) failed: the alert has ${
        because.actual.length === 0 ? "no such entity value" : `[${because.actual.map(safe).join(", ")}]`
      }`;
  }
}

function alertOf(alert: SuppressedAlert | UnsuppressedAlert): string {
  return `alert ${safe(alert.alertId)} (${safe(alert.alertType)})`;
}

function logCapped<T>(items: readonly T[], line: (item: T) => string, rest: (count: number) => string): void {
  for (const item of items.slice(0, maxDecisionLinesPerKind)) logger.verbose(line(item));
  if (items.length > maxDecisionLinesPerKind) logger.verbose(rest(items.length - maxDecisionLinesPerKind));
}

/**
 * Logs, at `verbose`, how each rule judged the alerts of its type: which it suppresses and why, which it does not and
 * which condition failed on which values (or that the rule is disabled or expired), and a count per rule. Alert ids,
 * types and entity values come from the alert and go through `safe`. Reading `notSuppressed` builds the report
 * objects the preview otherwise builds lazily, so nothing is done unless verbose logging is on. `inactiveBecause` is,
 * per rule, why it suppresses nothing at all (disabled, or expired as of the preview's `at`).
 */
export function logPreviewDecisions(rules: readonly RulePreview[], inactiveBecause: readonly (NotSuppressedBecause | undefined)[]): void {
  if (!logger.verbose.enabled) return;
  for (const [index, preview] of rules.entries()) {
    const rule = `preview rule ${safe(preview.rule)}`;
    const inactive = inactiveBecause[index];
    if (inactive !== undefined) logger.verbose(`${rule}: inactive (${notSuppressedWhy(inactive)}), so it suppresses nothing`);
    logCapped(
      preview.suppressed,
      (alert) => `${rule}: suppresses ${alertOf(alert)}: ${suppressedWhy[alert.because]}`,
      (count) => `${rule}: suppresses ${count} more alert(s) not logged`,
    );
    if (preview.active) {
      logCapped(
        preview.notSuppressed,
        (alert) => `${rule}: does not suppress ${alertOf(alert)}: ${notSuppressedWhy(alert.because)}`,
        (count) => `${rule}: does not suppress ${count} more alert(s) not logged`,
      );
    }
    logger.verbose(`${rule} (${safe(preview.alertType)}): ${preview.considered} alert(s) considered, ${preview.suppressed.length} suppressed, ${preview.considered - preview.suppressed.length} not`);
  }
}
