import type { SuppressionField } from "../rule/suppression-fields.js";
import type { ScopeCondition, SuppressionRule } from "../rule/suppression-rule.js";
import { alertFieldValues, type AlertFieldValues } from "../match/alert-field-values.js";
import { compileRule, type CompiledRule } from "../match/compile-rule.js";
import type { SuppressionAlert } from "../match/suppression-alert.js";
import { logPreviewDecisions } from "./log-preview-decisions.js";

/** Why a rule suppresses an alert. */
export type SuppressedBecause =
  /** Every scope condition matched an entity of the alert. */
  | "scope-matched"
  /** The rule has no scope: it suppresses every alert of its type. */
  | "no-scope"
  /** The alert has no entities at all, which the service suppresses entirely whatever the scope. */
  | "no-entities";

export interface SuppressedAlert {
  readonly alertId: string;
  readonly systemAlertId?: string;
  readonly alertType: string;
  readonly because: SuppressedBecause;
}

/** Why a rule does not suppress an alert of its type. */
export type NotSuppressedBecause =
  | {
      readonly kind: "condition-failed";
      /** Position of the first failing condition in the rule's scope. */
      readonly conditionIndex: number;
      readonly condition: ScopeCondition;
      /** The values the alert carries for that field (lower-cased); empty when it has no such entity. */
      readonly actual: readonly string[];
    }
  | { readonly kind: "rule-disabled" }
  | { readonly kind: "rule-expired"; readonly expiresOn: string };

export interface UnsuppressedAlert {
  readonly alertId: string;
  readonly systemAlertId?: string;
  readonly alertType: string;
  readonly because: NotSuppressedBecause;
}

export interface RulePreview {
  readonly rule: string;
  readonly alertType: string;
  /** False when the rule is disabled or (given `at`) expired: it then suppresses nothing. */
  readonly active: boolean;
  /** Alerts of the rule's type (every alert for `*`): the alerts it was evaluated against. */
  readonly considered: number;
  readonly suppressed: readonly SuppressedAlert[];
  readonly notSuppressed: readonly UnsuppressedAlert[];
}

export interface SuppressionPreview {
  readonly rules: readonly RulePreview[];
  /** Number of alerts previewed. */
  readonly total: number;
  /** Ids of alerts at least one active rule suppresses, in input order. */
  readonly suppressedAlertIds: readonly string[];
  /** Alert id -> names of the active rules that suppress it. */
  readonly rulesByAlert: ReadonlyMap<string, readonly string[]>;
}

export interface PreviewSuppressionOptions {
  /**
   * Evaluate expiry as of this instant: a rule whose `expiresOn` is not after it suppresses nothing. Omitted: expiry is
   * ignored (the preview answers "what does this scope match"). Pure code reads no clock, so pass it explicitly.
   */
  readonly at?: Date | string;
}

/**
 * Evaluates rules locally, with the service's matching semantics, against alerts (historical ones from
 * `DefenderAlertsClient`, files, or fixtures) and reports per rule which alerts it would suppress and which not, so a
 * rule is tested before it exists.
 *
 * Semantics: a rule applies to alerts whose `alertType` equals its own (or every alert for `*`; a
 * `SIMULATED_` alert has its own type). Whether the service compares alert types with or without case is not
 * documented; the preview ignores case so that it never under-reports what a rule hides (lint flags a type whose
 * case differs from the real one); every scope condition must match (`in`: the field equals one of the values;
 * `contains`: the field contains the substring; values compare case-insensitively, entity and property names are
 * matched without case); an alert with no entities is suppressed entirely; disabled rules suppress nothing.
 *
 * Rules are precompiled and indexed by alert type, and each alert's entity values are read once for all rules.
 */
export function previewSuppression(
  rules: readonly SuppressionRule[],
  alerts: Iterable<SuppressionAlert>,
  options: PreviewSuppressionOptions = {},
): SuppressionPreview {
  const at = options.at === undefined ? undefined : new Date(options.at).getTime();
  if (at !== undefined && Number.isNaN(at)) throw new TypeError("previewSuppression: options.at must be a valid Date or ISO 8601 string");
  const compiled = rules.map(compileRule);
  const states = compiled.map((entry) => ({
    entry,
    inactive: inactiveBecause(entry.rule, at),
    considered: 0,
    suppressed: [] as SuppressedAlert[],
    // Misses are most of the work and rarely all read: keep them compact (alert, its values, the failing condition or
    // -1 for an inactive rule) and build the report objects only when `notSuppressed` is read.
    missAlerts: [] as SuppressionAlert[],
    missValues: [] as AlertFieldValues[],
    missFailures: [] as number[],
  }));
  type State = (typeof states)[number];

  const byType = new Map<string, State[]>();
  const wildcard: State[] = [];
  const fields = new Set<SuppressionField>();
  for (const state of states) {
    for (const condition of state.entry.conditions) fields.add(condition.field);
    if (state.entry.rule.alertType === "*") {
      wildcard.push(state);
      continue;
    }
    const key = state.entry.rule.alertType.toLowerCase();
    const list = byType.get(key);
    if (list === undefined) byType.set(key, [state]);
    else list.push(state);
  }

  const evaluate = (list: readonly State[], alert: SuppressionAlert, values: AlertFieldValues, suppressors: string[] | undefined): string[] | undefined => {
    for (const state of list) {
      state.considered += 1;
      const failure = state.entry.firstFailure(values);
      if (failure >= 0 || state.inactive !== undefined) {
        state.missAlerts.push(alert);
        state.missValues.push(values);
        state.missFailures.push(failure);
      } else {
        state.suppressed.push({ ...identityOf(alert), because: suppressedBecause(state.entry, values) });
        (suppressors ??= []).push(state.entry.rule.name);
      }
    }
    return suppressors;
  };

  const suppressedAlertIds: string[] = [];
  const rulesByAlert = new Map<string, string[]>();
  let total = 0;
  for (const alert of alerts) {
    total += 1;
    const typed = byType.get(alert.alertType.toLowerCase());
    if (typed === undefined && wildcard.length === 0) continue;
    // Read the alert's entity values once, for every rule that considers it.
    const values = alertFieldValues(alert, fields);
    let suppressors: string[] | undefined;
    if (typed !== undefined) suppressors = evaluate(typed, alert, values, suppressors);
    if (wildcard.length > 0) suppressors = evaluate(wildcard, alert, values, suppressors);
    if (suppressors !== undefined) {
      suppressedAlertIds.push(alert.id);
      rulesByAlert.set(alert.id, suppressors);
    }
  }

  const preview: SuppressionPreview = {
    rules: states.map((state): RulePreview => {
      let notSuppressed: UnsuppressedAlert[] | undefined;
      return {
        rule: state.entry.rule.name,
        alertType: state.entry.rule.alertType,
        active: state.inactive === undefined,
        considered: state.considered,
        suppressed: state.suppressed,
        get notSuppressed() {
          notSuppressed ??= state.missAlerts.map((alert, index) => {
            const failure = state.missFailures[index] ?? -1;
            const condition = state.entry.conditions[failure];
            const because: NotSuppressedBecause =
              condition === undefined || state.missValues[index] === undefined
                ? (state.inactive ?? { kind: "rule-disabled" })
                : { kind: "condition-failed", conditionIndex: failure, condition: condition.condition, actual: state.missValues[index].get(condition.field) };
            return { ...identityOf(alert), because };
          });
          return notSuppressed;
        },
      };
    }),
    total,
    suppressedAlertIds,
    rulesByAlert,
  };
  logPreviewDecisions(preview.rules, states.map((state) => state.inactive));
  return preview;
}

function identityOf(alert: SuppressionAlert): { alertId: string; systemAlertId?: string; alertType: string } {
  return { alertId: alert.id, ...(alert.systemAlertId === undefined ? {} : { systemAlertId: alert.systemAlertId }), alertType: alert.alertType };
}

function inactiveBecause(rule: SuppressionRule, at: number | undefined): NotSuppressedBecause | undefined {
  if (rule.state === "Disabled") return { kind: "rule-disabled" };
  if (at !== undefined && rule.expiresOn !== undefined && Date.parse(rule.expiresOn) <= at) return { kind: "rule-expired", expiresOn: rule.expiresOn };
  return undefined;
}

function suppressedBecause(rule: CompiledRule, values: AlertFieldValues): SuppressedBecause {
  if (rule.conditions.length === 0) return "no-scope";
  return values.entityCount === 0 ? "no-entities" : "scope-matched";
}
