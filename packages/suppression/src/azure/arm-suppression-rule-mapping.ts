import type { AlertsSuppressionRule } from "@azure/arm-security";
import type { ExistingSuppressionRule } from "../plan/existing-suppression-rule.js";
import type { SuppressionRule } from "../rule/suppression-rule.js";

/** Our rule as the `AlertsSuppressionRule` body `@azure/arm-security` sends (2019-01-01-preview). */
export function toArmSuppressionRule(rule: SuppressionRule): AlertsSuppressionRule {
  return {
    alertType: rule.alertType,
    reason: rule.reason,
    state: rule.state,
    ...(rule.comment === undefined ? {} : { comment: rule.comment }),
    // Without an explicit expiry the service and the CLI disagree on the default; only a deliberate rule omits it.
    ...(rule.expiresOn === undefined ? {} : { expirationDateUtc: new Date(rule.expiresOn) }),
    ...(rule.scope.length === 0 ? {} : { suppressionAlertsScope: { allOf: rule.scope.map((condition) => ({ ...condition })) } }),
  };
}

/** A rule read from Azure, tolerant of what the portal, policy or other tools wrote. */
export function fromArmSuppressionRule(rule: AlertsSuppressionRule): ExistingSuppressionRule {
  const expires = toIso(rule.expirationDateUtc);
  const modified = toIso(rule.lastModifiedUtc);
  return {
    name: rule.name ?? "",
    ...(rule.id === undefined ? {} : { id: rule.id }),
    alertType: rule.alertType ?? "",
    reason: rule.reason ?? "",
    ...(rule.comment === undefined || rule.comment === null ? {} : { comment: rule.comment }),
    ...(expires === undefined ? {} : { expiresOn: expires }),
    state: rule.state ?? "Enabled",
    scope: (rule.suppressionAlertsScope?.allOf ?? []).map((element) => ({ ...element })),
    ...(modified === undefined ? {} : { lastModified: modified }),
  };
}

function toIso(value: Date | string | undefined | null): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
