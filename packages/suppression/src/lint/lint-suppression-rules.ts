import { SuppressionError } from "../errors/suppression-error.js";
import { SuppressionCodes } from "../errors/suppression-error-codes.js";
import { alertFieldValues } from "../match/alert-field-values.js";
import { compileRule } from "../match/compile-rule.js";
import type { SuppressionAlert } from "../match/suppression-alert.js";
import { KEY_VAULT_ALERT_FIELDS } from "../rule/suppression-fields.js";
import { isInCondition, type SuppressionRule } from "../rule/suppression-rule.js";
import { HIGH_VALUE_ALERT_TYPES, KEY_VAULT_ALERT_TYPE_ALIASES, KEY_VAULT_ALERT_TYPES } from "./key-vault-alert-types.js";
import { severityOf, type LintFinding } from "./lint-finding.js";
import { ruleCovers, scopeKey } from "./rule-implication.js";

const DAY_MS = 86_400_000;

/** Substrings every Key Vault alert's entities contain: a `contains` on them matches everything. */
const GENERIC_SUBSTRINGS = ["/subscriptions/", "/resourcegroups/", "/providers/", "microsoft.keyvault", "/vaults/", "vault", "http", ".com", ".net"];

export interface LintSuppressionRulesOptions {
  /** The current instant. Lint reads no clock: pass `new Date()` at the edge. */
  readonly now: Date | string;
  /** Policy maximum lifetime of a rule, in days from `now`. Default 90. */
  readonly maxExpiryDays?: number;
  /** Warn when a rule expires within this many days. Default 14. */
  readonly expiringSoonDays?: number;
  /**
   * The subscription's alert history (e.g. `DefenderAlertsClient` list output). Enables: alert types never seen, scopes
   * matching every alert of the type, and entity-less alerts a scoped rule would still suppress.
   */
  readonly alerts?: Iterable<SuppressionAlert>;
  /** Alert types known to have fired in the subscription, when the alerts themselves are not at hand. */
  readonly seenAlertTypes?: Iterable<string>;
  /** Detections that must never be suppressed without an IP condition. Default: Tor and suspicious-IP alerts. */
  readonly highValueAlertTypes?: readonly string[];
  /** Codes to leave out (a team's accepted exceptions), e.g. `["KW_SUPPRESSION_I0217"]`. */
  readonly ignore?: readonly string[];
}

/**
 * Lints valid rules for what the service accepts but a security team should not: rules that never expire or outlive
 * policy, rules that blind a subscription, high-value detections suppressed without pinning the IP, duplicates and
 * shadowed rules, rules that can never match. Each finding has a stable code and severity. Pure: time is `now`.
 */
export function lintSuppressionRules(rules: readonly SuppressionRule[], options: LintSuppressionRulesOptions): LintFinding[] {
  const now = new Date(options.now).getTime();
  if (Number.isNaN(now)) throw new SuppressionError(SuppressionCodes.invalidOptions, "lintSuppressionRules: options.now is not a time. Pass a valid Date or an ISO 8601 date-time.");
  const maxExpiryDays = options.maxExpiryDays ?? 90;
  const soonDays = options.expiringSoonDays ?? 14;
  const highValue = new Set(options.highValueAlertTypes ?? HIGH_VALUE_ALERT_TYPES);
  const history = options.alerts === undefined ? undefined : [...options.alerts];
  const seen = new Set<string>(options.seenAlertTypes ?? []);
  for (const alert of history ?? []) seen.add(alert.alertType);
  const knowsHistory = history !== undefined || options.seenAlertTypes !== undefined;
  const knownTypes = [...KEY_VAULT_ALERT_TYPES, ...KEY_VAULT_ALERT_TYPE_ALIASES, ...seen];

  const findings: LintFinding[] = [];
  const report = (rule: SuppressionRule, code: string, path: string, message: string, fix: string) =>
    findings.push({ code, severity: severityOf(code), rule: rule.name, path, message, fix });

  for (const rule of rules) {
    // Expiry
    if (rule.expiresOn === undefined) {
      report(rule, SuppressionCodes.noExpiry, "expiresOn", `Rule '${rule.name}' never expires: it will hide these alerts long after anyone remembers why.`, `set expiresOn within ${maxExpiryDays} days and re-extend it deliberately`);
    } else {
      const expires = Date.parse(rule.expiresOn);
      if (expires <= now) {
        report(rule, SuppressionCodes.expired, "expiresOn", `Rule '${rule.name}' expired at ${rule.expiresOn}; the service no longer applies it.`, "extend expiresOn if the activity is still confirmed legitimate, otherwise delete the rule");
      } else if (expires - now > maxExpiryDays * DAY_MS) {
        report(rule, SuppressionCodes.expiryBeyondMaximum, "expiresOn", `Rule '${rule.name}' expires at ${rule.expiresOn}, more than ${maxExpiryDays} days from now (policy maximum).`, `set expiresOn no later than ${new Date(now + maxExpiryDays * DAY_MS).toISOString()}`);
      } else if (expires - now <= soonDays * DAY_MS) {
        const days = Math.ceil((expires - now) / DAY_MS);
        report(rule, SuppressionCodes.expiringSoon, "expiresOn", `Rule '${rule.name}' expires in ${days} day${days === 1 ? "" : "s"} (${rule.expiresOn}).`, "re-confirm the activity is legitimate and extend expiresOn, or let it lapse on purpose");
      }
    }

    // Breadth
    if (rule.alertType === "*") {
      report(rule, SuppressionCodes.allAlertTypes, "alertType", `Rule '${rule.name}' suppresses every alert type${rule.scope.length === 0 ? " in the subscription: it blinds Defender for Cloud entirely" : ", including detections you have not seen yet"}.`, "name the specific alertType the confirmed-legitimate activity raises");
    } else if (rule.scope.length === 0 && rule.reason === "SpecificEntityFalsePositive") {
      report(rule, SuppressionCodes.entityReasonWithoutScope, "scope", `Rule '${rule.name}' gives the reason SpecificEntityFalsePositive but names no entity: it suppresses every ${rule.alertType} alert.`, "add the entity the false positive is about as a scope condition");
    } else if (rule.scope.length === 0) {
      report(rule, SuppressionCodes.noScope, "scope", `Rule '${rule.name}' has no scope: it suppresses every ${rule.alertType} alert, from any caller, on any vault.`, "add conditions for the legitimate entity (entities.ip.address, entities.account.aaduserid, entities.azureresource.resourceid)");
    }
    rule.scope.forEach((condition, index) => {
      if (rule.alertType.startsWith("KV_") && !KEY_VAULT_ALERT_FIELDS.has(condition.field)) {
        report(rule, SuppressionCodes.fieldNotOnKeyVaultAlerts, `scope[${index}].field`, `Key Vault alerts carry no ${condition.field} entity, so '${rule.name}' never matches an alert that has entities.`, "use entities.ip.address, entities.account.aaduserid or entities.azureresource.resourceid");
      }
      if (isInCondition(condition)) {
        const lower = condition.in.map((value) => value.toLowerCase());
        if (new Set(lower).size !== lower.length) {
          report(rule, SuppressionCodes.duplicateValue, `scope[${index}].in`, `Rule '${rule.name}' lists a value twice in ${condition.field} (values compare without case).`, "remove the repeated value");
        }
        return;
      }
      const needle = condition.contains.toLowerCase();
      if (needle.trim().length < 3 || GENERIC_SUBSTRINGS.some((generic) => generic.includes(needle))) {
        report(rule, SuppressionCodes.scopeMatchesEverything, `scope[${index}].contains`, `Rule '${rule.name}': ${condition.field} contains "${condition.contains}" matches practically every alert.`, "match the exact value with in: [...] or a distinctive substring");
      }
    });

    // High-value detections must be pinned to the caller's IP.
    if (highValue.has(rule.alertType) || (rule.alertType === "*" && rule.scope.length > 0)) {
      const pinned = rule.scope.some((condition) => condition.field === "entities.ip.address" && isInCondition(condition));
      if (!pinned) {
        report(rule, SuppressionCodes.highValueWithoutIp, "scope", `Rule '${rule.name}' suppresses ${rule.alertType === "*" ? "Tor and suspicious-IP detections" : rule.alertType} without an exact IP condition: any attacker's access would be hidden too.`, "add { field: entities.ip.address, in: [the confirmed IPs] }");
      }
    }

    // Alert type spelling and history
    if (rule.alertType !== "*") {
      const sameButCase = knownTypes.find((type) => type !== rule.alertType && type.toLowerCase() === rule.alertType.toLowerCase());
      if (sameButCase !== undefined && !seen.has(rule.alertType)) {
        report(rule, SuppressionCodes.alertTypeCase, "alertType", `Rule '${rule.name}' names ${rule.alertType}, but alerts carry ${sameButCase}; whether the service matches alert types without case is undocumented, so the rule may never apply.`, `use "${sameButCase}"`);
      } else if (knowsHistory && !seen.has(rule.alertType)) {
        report(rule, SuppressionCodes.alertTypeNeverSeen, "alertType", `No ${rule.alertType} alert has fired in this subscription; the service does not apply rules to alert types that never fired before the rule was created.`, "create the rule after the first alert of the type, or check the alertType (SIMULATED_ alerts have their own type)");
      }
    }

    if (rule.state === "Disabled") {
      report(rule, SuppressionCodes.disabledRule, "state", `Rule '${rule.name}' is disabled and suppresses nothing.`, "delete it if it is no longer needed");
    }
  }

  lintOverlaps(rules, report);
  if (history === undefined) {
    for (const rule of rules) {
      if (rule.scope.length > 0 && rule.state === "Enabled") {
        report(rule, SuppressionCodes.noEntitiesBehaviour, "scope", `Rule '${rule.name}' also suppresses ${rule.alertType} alerts that carry no entities at all, whatever its scope (service behaviour).`, "pass the subscription's alerts to lint to see whether any such alerts exist");
      }
    }
  } else {
    lintAgainstHistory(rules, history, report);
  }
  const ignored = new Set(options.ignore ?? []);
  return ignored.size === 0 ? findings : findings.filter((finding) => !ignored.has(finding.code));
}

type Report = (rule: SuppressionRule, code: string, path: string, message: string, fix: string) => void;

function lintOverlaps(rules: readonly SuppressionRule[], report: Report): void {
  const keys = new Map<string, SuppressionRule>();
  const duplicates = new Set<SuppressionRule>();
  for (const rule of rules) {
    if (rule.state !== "Enabled") continue;
    const key = scopeKey(rule);
    const first = keys.get(key);
    if (first === undefined) {
      keys.set(key, rule);
      continue;
    }
    duplicates.add(rule);
    report(rule, SuppressionCodes.duplicateRule, "", `Rule '${rule.name}' matches exactly the same alerts as '${first.name}'.`, `delete one of '${first.name}' and '${rule.name}'`);
  }
  for (const narrow of rules) {
    if (narrow.state !== "Enabled" || duplicates.has(narrow)) continue;
    const broad = rules.find(
      (candidate) =>
        candidate !== narrow &&
        candidate.state === "Enabled" &&
        scopeKey(candidate) !== scopeKey(narrow) &&
        ruleCovers(candidate, narrow) &&
        (candidate.expiresOn === undefined || (narrow.expiresOn !== undefined && Date.parse(candidate.expiresOn) >= Date.parse(narrow.expiresOn))),
    );
    if (broad !== undefined) {
      report(narrow, SuppressionCodes.shadowedRule, "", `Rule '${narrow.name}' is shadowed by the broader '${broad.name}', which already suppresses every alert it matches (for at least as long).`, `delete '${narrow.name}', or narrow '${broad.name}'`);
    }
  }
}

function lintAgainstHistory(rules: readonly SuppressionRule[], history: readonly SuppressionAlert[], report: Report): void {
  for (const rule of rules) {
    if (rule.scope.length === 0) continue;
    const compiled = compileRule(rule);
    const fields = compiled.conditions.map((condition) => condition.field);
    let considered = 0;
    let matchedWithEntities = 0;
    let withoutEntities = 0;
    for (const alert of history) {
      if (rule.alertType !== "*" && alert.alertType !== rule.alertType) continue;
      considered += 1;
      if (alert.entities.length === 0) {
        withoutEntities += 1;
        continue;
      }
      if (compiled.firstFailure(alertFieldValues(alert, fields)) < 0) matchedWithEntities += 1;
    }
    if (withoutEntities > 0) {
      report(rule, SuppressionCodes.noEntitiesSuppressed, "scope", `${withoutEntities} of ${considered} ${rule.alertType} alerts in the history carry no entities; the service suppresses those entirely, whatever the scope of '${rule.name}'.`, "accept it knowingly, or drop the rule and handle these alerts another way");
    }
    const withEntities = considered - withoutEntities;
    if (withEntities >= 5 && matchedWithEntities === withEntities) {
      report(rule, SuppressionCodes.scopeMatchesEverything, "scope", `The scope of '${rule.name}' matched all ${withEntities} ${rule.alertType} alerts in the history: it is as broad as no scope at all.`, "narrow the conditions to the confirmed-legitimate entity");
    }
  }
}
