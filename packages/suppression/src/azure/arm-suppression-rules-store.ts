import { SecurityCenter } from "@azure/arm-security";
import type { TokenCredential } from "@azure/core-auth";
import type { ExistingSuppressionRule } from "../plan/existing-suppression-rule.js";
import type { SuppressionRule } from "../rule/suppression-rule.js";
import { fromArmSuppressionRule, toArmSuppressionRule } from "./arm-suppression-rule-mapping.js";
import { isNotFound, mapPaged, withKeywardenUserAgent, type KeywardenClientOptions, type KeywardenPagedIterator } from "@keywarden/core";
import { logger, userAgent } from "../log.js";
import type { StoreOperationOptions, SuppressionRulesStore } from "./suppression-rules-store.js";

export type ArmSuppressionRulesStoreOptions =
  | { client: SecurityCenter }
  | { credential: TokenCredential; subscriptionId: string; clientOptions?: KeywardenClientOptions };

/**
 * Suppression rules in a subscription, over `@azure/arm-security` (`alertsSuppressionRules`, 2019-01-01-preview).
 * The credential is injected; retries and throttling follow the client's pipeline options.
 */
export function createArmSuppressionRulesStore(options: ArmSuppressionRulesStoreOptions): SuppressionRulesStore {
  const client = "client" in options ? options.client : new SecurityCenter(options.credential, options.subscriptionId, withKeywardenUserAgent(options.clientOptions ?? {}, userAgent.packageName, userAgent.packageVersion));
  const rules = client.alertsSuppressionRules;
  return {
    list(listOptions: StoreOperationOptions & { alertType?: string } = {}): KeywardenPagedIterator<ExistingSuppressionRule> {
      logger.info("GET alertsSuppressionRules");
      return mapPaged(rules.list(listOptions), fromArmSuppressionRule);
    },
    async get(name: string, operationOptions: StoreOperationOptions = {}) {
      try {
        logger.info(`GET alertsSuppressionRules/${name}`);
        return fromArmSuppressionRule({ name, ...(await rules.get(name, operationOptions)) });
      } catch (error) {
        if (isNotFound(error)) {
          logger.verbose(`suppression rule ${name} does not exist`);
          return undefined;
        }
        throw error;
      }
    },
    async put(rule: SuppressionRule, operationOptions: StoreOperationOptions = {}) {
      logger.info(`PUT alertsSuppressionRules/${rule.name}`);
      return fromArmSuppressionRule({ name: rule.name, ...(await rules.update(rule.name, toArmSuppressionRule(rule), operationOptions)) });
    },
    async delete(name: string, operationOptions: StoreOperationOptions = {}) {
      try {
        logger.info(`DELETE alertsSuppressionRules/${name}`);
        await rules.delete(name, operationOptions);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        logger.verbose(`suppression rule ${name} was already gone`);
      }
    },
  };
}
