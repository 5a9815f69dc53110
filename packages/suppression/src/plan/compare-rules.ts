import type { SuppressionRule } from "../rule/suppression-rule.js";
import type { ExistingScopeElement, ExistingSuppressionRule } from "./existing-suppression-rule.js";
import type { SuppressionRuleProperty } from "./suppression-plan.js";

/** The properties that differ. Comparison ignores what the service does not preserve or treats as equal. */
export function differingProperties(existing: ExistingSuppressionRule, desired: SuppressionRule): SuppressionRuleProperty[] {
  const changed: SuppressionRuleProperty[] = [];
  if (existing.alertType !== desired.alertType) changed.push("alertType");
  if (existing.reason !== desired.reason) changed.push("reason");
  if ((existing.comment ?? "") !== (desired.comment ?? "")) changed.push("comment");
  if (!sameInstant(existing.expiresOn, desired.expiresOn)) changed.push("expiresOn");
  // `Expired` is the service's view of an Enabled rule past its expiry: not a difference by itself.
  const existingState = existing.state === "Expired" ? "Enabled" : existing.state;
  if (existingState !== desired.state) changed.push("state");
  if (scopeSignature(existing.scope) !== scopeSignature(desired.scope)) changed.push("scope");
  return changed;
}

/** Compares instants, not strings: the service returns 7 fractional digits where we send 3. */
export function sameInstant(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Date.parse(a) === Date.parse(b);
}

/** Order-insensitive signature of a scope (conditions and `in` values), so re-ordering is not a change. */
export function scopeSignature(scope: readonly ExistingScopeElement[]): string {
  return scope
    .map((element) => {
      const entries = Object.keys(element)
        .sort()
        .map((key) => {
          const value = element[key];
          return `${key}=${JSON.stringify(Array.isArray(value) ? [...(value as unknown[])].map(String).sort() : value)}`;
        });
      return entries.join("&");
    })
    .sort()
    .join("|");
}
