import type { ExistingSuppressionRule } from "../plan/existing-suppression-rule.js";
import type { SuppressionRule } from "../rule/suppression-rule.js";
import type { KeywardenPagedIterator } from "@keywarden/core";

export interface StoreOperationOptions {
  abortSignal?: AbortSignal;
}

/**
 * Where suppression rules live: Azure (`createArmSuppressionRulesStore`) or memory (`InMemorySuppressionRulesStore`,
 * for tests and dry runs). The executor only talks to this interface.
 */
export interface SuppressionRulesStore {
  list(options?: StoreOperationOptions & { alertType?: string }): KeywardenPagedIterator<ExistingSuppressionRule>;
  /** The rule, or `undefined` when it does not exist. */
  get(name: string, options?: StoreOperationOptions): Promise<ExistingSuppressionRule | undefined>;
  /** Creates or replaces the rule; returns it as stored. */
  put(rule: SuppressionRule, options?: StoreOperationOptions): Promise<ExistingSuppressionRule>;
  /** Deletes the rule; deleting a missing rule is not an error. */
  delete(name: string, options?: StoreOperationOptions): Promise<void>;
}
