import { SUPPRESSION_REASONS, SUPPRESSION_REASON_LABELS } from "../rule/suppression-reasons.js";
import { validateSuppressionRules, type RulesValidationResult } from "../validate/validate-suppression-rules.js";
import type { ExistingSuppressionRule } from "./existing-suppression-rule.js";

export interface ImportedSuppressionRules extends RulesValidationResult {
  /** The rules file to commit: `{ rules: [...] }`, in the rules-file shape. Issues point into it. */
  readonly document: { rules: Record<string, unknown>[] };
}

/**
 * Turns the rules a subscription already has (made in the portal, by policy or by hand) into a rules file, the first
 * step of adopting rules as code. Portal reason sentences become tokens and the service-set `Expired` state is
 * dropped; anything that still does not validate is reported in `issues` (pointing into `document`) to fix by hand.
 */
export function importSuppressionRules(existing: readonly ExistingSuppressionRule[]): ImportedSuppressionRules {
  const rules = [...existing]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((rule) => ({
      name: rule.name,
      alertType: rule.alertType,
      reason: reasonToken(rule.reason),
      ...(rule.comment === undefined || rule.comment === "" ? {} : { comment: rule.comment }),
      ...(rule.expiresOn === undefined ? {} : { expiresOn: rule.expiresOn }),
      ...(rule.state === "Disabled" ? { state: "Disabled" } : {}),
      ...(rule.scope.length === 0 ? {} : { scope: rule.scope.map((element) => ({ ...element })) }),
    }));
  const document = { rules };
  return { ...validateSuppressionRules(document), document };
}

function reasonToken(reason: string): string {
  const found = SUPPRESSION_REASONS.find((token) => SUPPRESSION_REASON_LABELS[token].toLowerCase() === reason.trim().toLowerCase());
  return found ?? reason;
}
