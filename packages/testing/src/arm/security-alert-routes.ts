import { HttpResponse } from "msw";
import type { AlertsSuppressionRule, SecurityAlert } from "../state/arm-types.js";
import { defenderTimestamp, reverseTicks } from "./alert-time.js";
import { armFail, pageOf, readArmJson, type ArmCall } from "./arm-call.js";
import { armPath, type ArmRoute } from "./arm-route.js";
import { parseArmId } from "./arm-id.js";
import { suppressionRuleMatches } from "./suppression-match.js";
import simulatedTemplates from "./simulated-key-vault-alerts.json" with { type: "json" };

/** arm-security 5.0.0 sends 2021-11-01; 2022-01-01 is the latest stable. */
const ALERT_API_VERSIONS = ["2019-01-01", "2020-01-01", "2021-01-01", "2021-11-01", "2022-01-01"] as const;
const SUB = "/subscriptions/{subscriptionId}";
const RG = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}";
const PROVIDER = "/providers/Microsoft.Security";

const STATE_ACTIONS: Record<string, NonNullable<SecurityAlert["properties"]["status"]>> = {
  dismiss: "Dismissed",
  resolve: "Resolved",
  activate: "Active",
  inprogress: "InProgress",
};

function alertsInScope(call: ArmCall): SecurityAlert[] {
  const { subscriptionId, resourceGroupName, ascLocation } = call.params;
  return [...call.ctx.state.alerts.values()].filter((alert) => {
    const parsed = parseArmId(alert.id);
    if (parsed?.subscriptionId?.toLowerCase() !== subscriptionId?.toLowerCase()) return false;
    if (resourceGroupName !== undefined && parsed?.resourceGroup?.toLowerCase() !== resourceGroupName.toLowerCase()) return false;
    if (ascLocation !== undefined) {
      const location = /\/locations\/([^/]+)\/alerts\//iu.exec(alert.id)?.[1];
      if (location?.toLowerCase() !== ascLocation.toLowerCase()) return false;
    }
    return true;
  });
}

function alertIdFor(call: ArmCall): string {
  const { subscriptionId = "", resourceGroupName, ascLocation = "", alertName = "" } = call.params;
  const scope = resourceGroupName === undefined ? `/subscriptions/${subscriptionId}` : `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}`;
  return `${scope}/providers/Microsoft.Security/locations/${ascLocation}/alerts/${alertName}`;
}

function findAlert(call: ArmCall): SecurityAlert {
  const alert = call.ctx.state.alerts.get(alertIdFor(call));
  if (!alert) armFail(404, "AlertNotFound", `Alert '${call.params["alertName"] ?? ""}' was not found in scope '${alertIdFor(call).replace(/\/providers\/.*$/u, "")}' at location '${call.params["ascLocation"] ?? ""}'.`);
  return alert;
}

function listAlerts(call: ArmCall): Response {
  return HttpResponse.json(pageOf(call, alertsInScope(call)));
}

function updateState(call: ArmCall): Response {
  const action = call.params["action"]?.toLowerCase() ?? "";
  const status = STATE_ACTIONS[action];
  if (!status) armFail(400, "InvalidAlertAction", `'${call.params["action"] ?? ""}' is not an alert action; use dismiss, resolve, activate or inProgress.`);
  const alert = findAlert(call);
  alert.properties.status = status;
  return new HttpResponse(null, { status: 204 });
}

/** Builds the sample `SIMULATED_KV_*` alerts Defender raises for the KeyVaults bundle, against `Sample-KV`. */
function simulatedKeyVaultAlerts(call: ArmCall): SecurityAlert[] {
  const { subscriptionId = "", ascLocation = "" } = call.params;
  const now = call.ctx.clock.now();
  const vaultId = `/SUBSCRIPTIONS/${subscriptionId}/RESOURCEGROUPS/Sample-RG/providers/microsoft.keyvault/vaults/Sample-KV`;
  let entityId = 1;
  return (simulatedTemplates.value as unknown as SecurityAlert[]).map((template, index) => {
    const time = now + index * 20;
    const name = `${reverseTicks(time)}_${call.ctx.ids.guid()}`;
    const properties = structuredClone(template.properties);
    const stamp = defenderTimestamp(time);
    properties.systemAlertId = name;
    properties.startTimeUtc = stamp;
    properties.endTimeUtc = stamp;
    properties.timeGeneratedUtc = defenderTimestamp(time + 6000);
    properties.processingEndTimeUtc = defenderTimestamp(time + 5000);
    properties.status = "Active";
    properties.resourceIdentifiers = (properties.resourceIdentifiers ?? []).map((identifier) => ({
      ...identifier,
      $id: `${ascLocation}_${entityId++}`,
      azureResourceId: vaultId,
      azureResourceTenantId: call.ctx.state.tenantId,
    }));
    properties.entities = (properties.entities ?? []).map((entity) => ({
      ...entity,
      $id: `${ascLocation}_${entityId++}`,
      ...(entity["type"] === "azure-resource" ? { resourceId: vaultId } : {}),
    }));
    const endTime = new Date(time).toISOString();
    const usTime = `${endTime.slice(5, 7)}/${endTime.slice(8, 10)}/${endTime.slice(0, 4)} ${endTime.slice(11, 19)}`;
    properties.extendedProperties = { ...properties.extendedProperties, "start Time UTC": usTime, "end Time UTC": usTime };
    const id = `/subscriptions/${subscriptionId}/resourceGroups/Sample-RG/providers/Microsoft.Security/locations/${ascLocation}/alerts/${name}`;
    properties.alertUri = `https://portal.azure.com/#blade/Microsoft_Azure_Security_AzureDefenderForData/AlertBlade/alertId/${name}/subscriptionId/${subscriptionId}/resourceGroup/Sample-RG/referencedFrom/alertDeepLink/location/${ascLocation}`;
    return { id, name, type: "Microsoft.Security/Locations/alerts", properties };
  });
}

/** Enabled, unexpired rules dismiss matching new alerts on arrival, as Defender does. */
function applySuppression(call: ArmCall, alert: SecurityAlert): void {
  const subscriptionId = call.params["subscriptionId"]?.toLowerCase();
  const now = call.ctx.clock.now();
  for (const rule of call.ctx.state.suppressionRules.values()) {
    if (parseArmId(rule.id)?.subscriptionId?.toLowerCase() !== subscriptionId) continue;
    if (isActiveRule(rule, now) && suppressionRuleMatches(rule, alert)) {
      alert.properties.status = "Dismissed";
      return;
    }
  }
}

function isActiveRule(rule: AlertsSuppressionRule, now: number): boolean {
  if (rule.properties.state !== "Enabled") return false;
  const expiry = rule.properties.expirationDateUtc;
  return expiry === undefined || Date.parse(expiry) > now;
}

async function simulate(call: ArmCall): Promise<Response> {
  const body = await readArmJson(call);
  const properties = body["properties"] as { kind?: unknown; bundles?: unknown } | undefined;
  if (properties?.kind !== "Bundles") armFail(400, "InvalidInput", "properties.kind must be 'Bundles'.");
  const bundles = properties.bundles;
  if (!Array.isArray(bundles) || bundles.length === 0 || !bundles.every((b) => typeof b === "string")) {
    armFail(400, "InvalidInput", "properties.bundles must be a non-empty array of bundle names (e.g. ['KeyVaults']).");
  }
  const unsupported = (bundles).filter((b) => b.toLowerCase() !== "keyvaults");
  if (unsupported.length > 0) {
    armFail(400, "FakeAzureUnsupportedRequest", `The fake Azure tenant only simulates the KeyVaults bundle, not ${unsupported.join(", ")}.`);
  }
  for (const alert of simulatedKeyVaultAlerts(call)) {
    applySuppression(call, alert);
    call.ctx.state.alerts.set(alert.id, alert);
  }
  // 2022-01-01 made simulate long-running (202 + Location, final state via the original URI); older versions answer 204.
  if (call.apiVersion === "2022-01-01") {
    const location = new URL(call.url.href);
    location.pathname = location.pathname.replace(/\/simulate\/?$/iu, "/simulate/operationResults/" + call.ctx.ids.guid());
    return new HttpResponse(null, { status: 202, headers: { location: location.href } });
  }
  return new HttpResponse(null, { status: 204 });
}

export function securityAlertRoutes(): ArmRoute[] {
  const versions = ALERT_API_VERSIONS;
  return [
    { operation: "Alerts_List", method: "GET", path: armPath(`${SUB}${PROVIDER}/alerts`), apiVersions: versions, handle: listAlerts },
    { operation: "Alerts_ListByResourceGroup", method: "GET", path: armPath(`${RG}${PROVIDER}/alerts`), apiVersions: versions, handle: listAlerts },
    { operation: "Alerts_ListSubscriptionLevelByRegion", method: "GET", path: armPath(`${SUB}${PROVIDER}/locations/{ascLocation}/alerts`), apiVersions: versions, handle: listAlerts },
    { operation: "Alerts_ListResourceGroupLevelByRegion", method: "GET", path: armPath(`${RG}${PROVIDER}/locations/{ascLocation}/alerts`), apiVersions: versions, handle: listAlerts },
    { operation: "Alerts_Simulate", method: "POST", path: armPath(`${SUB}${PROVIDER}/locations/{ascLocation}/alerts/default/simulate`), apiVersions: versions, handle: simulate },
    {
      operation: "Alerts_Simulate (operation result)",
      method: "GET",
      path: armPath(`${SUB}${PROVIDER}/locations/{ascLocation}/alerts/default/simulate/operationResults/{operationId}`),
      apiVersions: versions,
      handle: () => new HttpResponse(null, { status: 204 }),
    },
    {
      operation: "Alerts_Simulate (final state)",
      method: "GET",
      path: armPath(`${SUB}${PROVIDER}/locations/{ascLocation}/alerts/default/simulate`),
      apiVersions: versions,
      handle: () => new HttpResponse(null, { status: 204 }),
    },
    { operation: "Alerts_GetSubscriptionLevel", method: "GET", path: armPath(`${SUB}${PROVIDER}/locations/{ascLocation}/alerts/{alertName}`), apiVersions: versions, handle: (call) => HttpResponse.json(findAlert(call)) },
    { operation: "Alerts_GetResourceGroupLevel", method: "GET", path: armPath(`${RG}${PROVIDER}/locations/{ascLocation}/alerts/{alertName}`), apiVersions: versions, handle: (call) => HttpResponse.json(findAlert(call)) },
    { operation: "Alerts_UpdateSubscriptionLevelStateTo*", method: "POST", path: armPath(`${SUB}${PROVIDER}/locations/{ascLocation}/alerts/{alertName}/{action}`), apiVersions: versions, handle: updateState },
    { operation: "Alerts_UpdateResourceGroupLevelStateTo*", method: "POST", path: armPath(`${RG}${PROVIDER}/locations/{ascLocation}/alerts/{alertName}/{action}`), apiVersions: versions, handle: updateState },
  ];
}
