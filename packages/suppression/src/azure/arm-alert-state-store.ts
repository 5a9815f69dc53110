import { SecurityCenter, type Alert, type SecurityCenterOptionalParams } from "@azure/arm-security";
import type { TokenCredential } from "@azure/core-auth";
import { KeywardenError, parseAlert, type AlertEntity, type AlertStatus } from "@keywarden/alerts";
import { SuppressionCodes } from "../errors/suppression-error-codes.js";
import { isNotFound } from "./rest-error-status.js";
import type { AlertStateStore, ManagedAlert } from "./alert-state-store.js";
import type { StoreOperationOptions } from "./suppression-rules-store.js";

export type ArmAlertStateStoreOptions =
  | { client: SecurityCenter }
  | { credential: TokenCredential; subscriptionId: string; clientOptions?: SecurityCenterOptionalParams };

const ALERT_ID = /^\/subscriptions\/[^/]+(?:\/resourceGroups\/([^/]+))?\/providers\/Microsoft\.Security\/locations\/([^/]+)\/alerts\/([^/]+)$/i;

/**
 * Defender for Cloud alerts over `@azure/arm-security` (`alerts`): list, get, dismiss, resolve. Actions are addressed
 * from the alert's own `id`, which says whether the alert is subscription- or resource-group-level and where it is
 * stored (never rebuilt from other fields, defender-alerts.md gotcha 10).
 */
export function createArmAlertStateStore(options: ArmAlertStateStoreOptions): AlertStateStore {
  const client = "client" in options ? options.client : new SecurityCenter(options.credential, options.subscriptionId, options.clientOptions);
  const alerts = client.alerts;
  return {
    async *list(listOptions: StoreOperationOptions = {}) {
      for await (const alert of alerts.list(listOptions)) yield toManagedAlert(alert);
    },
    async get(alertId: string, operationOptions: StoreOperationOptions = {}) {
      const { resourceGroup, location, name } = locate(alertId);
      try {
        const alert = resourceGroup === undefined ? await alerts.getSubscriptionLevel(location, name, operationOptions) : await alerts.getResourceGroupLevel(location, name, resourceGroup, operationOptions);
        return toManagedAlert(alert);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async setState(alertId: string, state: "Dismissed" | "Resolved", operationOptions: StoreOperationOptions = {}) {
      const { resourceGroup, location, name } = locate(alertId);
      if (resourceGroup === undefined) {
        if (state === "Dismissed") await alerts.updateSubscriptionLevelStateToDismiss(location, name, operationOptions);
        else await alerts.updateSubscriptionLevelStateToResolve(location, name, operationOptions);
      } else if (state === "Dismissed") {
        await alerts.updateResourceGroupLevelStateToDismiss(location, name, resourceGroup, operationOptions);
      } else {
        await alerts.updateResourceGroupLevelStateToResolve(location, name, resourceGroup, operationOptions);
      }
    },
  };
}

function locate(alertId: string): { resourceGroup?: string; location: string; name: string } {
  const match = ALERT_ID.exec(alertId);
  if (match === null || match[2] === undefined || match[3] === undefined) {
    throw new KeywardenError(SuppressionCodes.applyFailed, `Not a Defender for Cloud alert id: ${alertId}. Use the alert's ARM id (/subscriptions/.../providers/Microsoft.Security/locations/<loc>/alerts/<name>).`);
  }
  return { ...(match[1] === undefined ? {} : { resourceGroup: match[1] }), location: match[2], name: match[3] };
}

/**
 * The SDK flattens `properties` and turns times into `Date`s; rebuild the REST shape so `parseAlert` (which resolves
 * `$ref` entities) can read it. Alerts it cannot read (other Defender plans) still get matched on their raw entities.
 */
function toManagedAlert(alert: Alert): ManagedAlert {
  const { id, name, type, ...properties } = alert;
  const rest = { id, name, type: type ?? "Microsoft.Security/Locations/alerts", properties: JSON.parse(JSON.stringify(properties)) as unknown };
  try {
    const parsed = parseAlert(rest, { channel: "arm" });
    return { id: parsed.id, systemAlertId: parsed.systemAlertId, alertType: parsed.alertType, entities: parsed.entities, status: parsed.status };
  } catch {
    const entities: AlertEntity[] = (alert.entities ?? []).map((entity) => ({ type: String(entity.type ?? "").toLowerCase(), properties: { ...entity } }));
    return { id: id ?? "", ...(name === undefined ? {} : { systemAlertId: name }), alertType: alert.alertType ?? "", entities, status: (alert.status ?? "Active") as AlertStatus };
  }
}
