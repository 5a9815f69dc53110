import type { ExistingSuppressionRule } from "../plan/existing-suppression-rule.js";
import type { SuppressionRule } from "../rule/suppression-rule.js";
import { pagedFromArray, systemClock, type Clock, type KeywardenPagedIterator } from "@keywarden/core";
import type { StoreOperationOptions, SuppressionRulesStore } from "./suppression-rules-store.js";

/**
 * Suppression rules held in memory, keyed case-insensitively like ARM names. For tests, demos and what-if runs;
 * `writes` counts puts and deletes so a test can prove a dry run wrote nothing.
 */
export class InMemorySuppressionRulesStore implements SuppressionRulesStore {
  readonly #rules = new Map<string, ExistingSuppressionRule>();
  readonly #clock: Pick<Clock, "now">;
  writes = 0;

  constructor(initial: readonly ExistingSuppressionRule[] = [], options: { clock?: Pick<Clock, "now"> } = {}) {
    this.#clock = options.clock ?? systemClock;
    for (const rule of initial) this.#rules.set(rule.name.toLowerCase(), structuredClone(rule));
  }

  list(options: StoreOperationOptions & { alertType?: string } = {}): KeywardenPagedIterator<ExistingSuppressionRule> {
    const rules = [...this.#rules.values()].filter((rule) => options.alertType === undefined || rule.alertType === options.alertType);
    return pagedFromArray(rules.map((rule) => this.#view(rule)));
  }

  get(name: string): Promise<ExistingSuppressionRule | undefined> {
    const rule = this.#rules.get(name.toLowerCase());
    return Promise.resolve(rule === undefined ? undefined : this.#view(rule));
  }

  put(rule: SuppressionRule): Promise<ExistingSuppressionRule> {
    this.writes += 1;
    const existing = this.#rules.get(rule.name.toLowerCase());
    const stored: ExistingSuppressionRule = {
      name: existing?.name ?? rule.name,
      alertType: rule.alertType,
      reason: rule.reason,
      ...(rule.comment === undefined ? {} : { comment: rule.comment }),
      ...(rule.expiresOn === undefined ? {} : { expiresOn: rule.expiresOn }),
      state: rule.state,
      scope: structuredClone([...rule.scope]),
      lastModified: new Date(this.#clock.now()).toISOString(),
    };
    this.#rules.set(rule.name.toLowerCase(), stored);
    return Promise.resolve(this.#view(stored));
  }

  delete(name: string): Promise<void> {
    this.writes += 1;
    this.#rules.delete(name.toLowerCase());
    return Promise.resolve();
  }

  /** Like the service: an Enabled rule past its expiry reads back as Expired. */
  #view(rule: ExistingSuppressionRule): ExistingSuppressionRule {
    const copy = structuredClone(rule);
    if (copy.state === "Enabled" && copy.expiresOn !== undefined && Date.parse(copy.expiresOn) <= this.#clock.now()) {
      return { ...copy, state: "Expired" };
    }
    return copy;
  }
}
