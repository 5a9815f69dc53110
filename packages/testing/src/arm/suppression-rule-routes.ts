import { HttpResponse } from "msw";
import type { AlertsSuppressionRule, AlertsSuppressionRuleProperties, SuppressionScopeElement } from "../state/arm-types.js";
import { defenderTimestamp } from "./alert-time.js";
import { armFail, pageOf, readArmJson, type ArmCall } from "./arm-call.js";
import { armPath, type ArmRoute } from "./arm-route.js";

const API_VERSIONS = ["2019-01-01-preview"] as const;
const BASE = "/subscriptions/{subscriptionId}/providers/Microsoft.Security/alertsSuppressionRules";

/** The reason tokens the service accepts (Azure Policy `reasonToEnum`). */
export const SUPPRESSION_REASONS = [
  "AlertSeverityTooHigh",
  "FalsePositive",
  "Noise",
  "NotRelevant",
  "SpecificEntityFalsePositive",
  "Unclear",
  "Other",
] as const;

/** Scope fields rules may use (Azure Policy `entityNameToType`). */
export const SUPPRESSION_FIELDS = [
  "entities.account.name",
  "entities.account.aaduserid",
  "entities.account.upnsuffix",
  "entities.azureresource.resourceid",
  "entities.file.name",
  "entities.file.directory",
  "entities.filehash.value",
  "entities.host.hostname",
  "entities.host.azureid",
  "entities.host.dnsdomain",
  "entities.host.omsagentid",
  "entities.ip.address",
  "entities.malware.name",
  "entities.malware.category",
  "entities.process.commandline",
] as const;

const RULE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_-]{1,49}$/u;

function invalid(message: string): never {
  armFail(400, "InvalidInput", message);
}

function ruleId(call: ArmCall): string {
  return `/subscriptions/${call.params["subscriptionId"] ?? ""}/providers/Microsoft.Security/alertsSuppressionRules/${
    call.params["ruleName"] ?? ""
  }`;
}

function validateScope(scope: unknown): { allOf: SuppressionScopeElement[] } {
  if (typeof scope !== "object" || scope === null) invalid("properties.suppressionAlertsScope must be an object with an allOf array.");
  const allOf = (scope as { allOf?: unknown }).allOf;
  if (!Array.isArray(allOf) || allOf.length === 0)
    invalid("properties.suppressionAlertsScope.allOf must be a non-empty array of scope elements.");
  return {
    allOf: allOf.map((element: unknown, i) => {
      const where = `properties.suppressionAlertsScope.allOf[${i}]`;
      if (typeof element !== "object" || element === null) invalid(`${where} must be an object with 'field' and 'in' or 'contains'.`);
      const { field, ...rest } = element as Record<string, unknown>;
      if (typeof field !== "string" || !SUPPRESSION_FIELDS.includes(field.toLowerCase() as (typeof SUPPRESSION_FIELDS)[number])) {
        invalid(`${where}.field '${String(field)}' is not a supported entity field; use one of ${SUPPRESSION_FIELDS.join(", ")}.`);
      }
      const keys = Object.keys(rest);
      if (keys.length !== 1 || (keys[0] !== "in" && keys[0] !== "contains")) {
        invalid(
          `${where} must have exactly one operator: 'in' (an array of values) or 'contains' (a string); got ${
            keys.length === 0 ? "none" : keys.join(", ")
          }.`
        );
      }
      if (keys[0] === "in") {
        const values = rest["in"];
        if (!Array.isArray(values) || values.length === 0 || !values.every((v) => typeof v === "string")) {
          invalid(`${where}.in must be a non-empty array of strings ('in' takes an array; use 'contains' for a substring).`);
        }
        return { field, in: values };
      }
      if (typeof rest["contains"] !== "string" || rest["contains"].length === 0) {
        invalid(`${where}.contains must be a non-empty string ('contains' takes a string; use 'in' for a list of values).`);
      }
      return { field, contains: rest["contains"] };
    }),
  };
}

async function putRule(call: ArmCall): Promise<Response> {
  const name = call.params["ruleName"] ?? "";
  if (!RULE_NAME.test(name)) {
    invalid(
      `The rule name '${name}' is invalid: it must start with a letter or digit, be 2-50 characters long, and use only letters, digits, '-' and '_'.`
    );
  }
  const body = await readArmJson(call);
  const properties = body["properties"];
  if (typeof properties !== "object" || properties === null) invalid("The request body must have a 'properties' object.");
  const p = properties as Record<string, unknown>;
  if (typeof p["alertType"] !== "string" || p["alertType"].length === 0)
    invalid("properties.alertType is required (an alert type such as 'KV_TORAccess', or '*').");
  if (typeof p["reason"] !== "string" || !(SUPPRESSION_REASONS as readonly string[]).includes(p["reason"])) {
    invalid(`properties.reason '${String(p["reason"])}' is invalid; use one of ${SUPPRESSION_REASONS.join(", ")}.`);
  }
  if (p["state"] !== "Enabled" && p["state"] !== "Disabled")
    invalid(`properties.state '${String(p["state"])}' is invalid; set 'Enabled' or 'Disabled'.`);
  const now = call.ctx.clock.now();
  let expirationDateUtc: string | undefined;
  if (p["expirationDateUtc"] !== undefined && p["expirationDateUtc"] !== null) {
    const value = p["expirationDateUtc"];
    const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
    if (!Number.isFinite(ms)) invalid(`properties.expirationDateUtc ${JSON.stringify(value)} is not a date-time.`);
    if (ms <= now) invalid(`properties.expirationDateUtc ${JSON.stringify(value)} must be in the future.`);
    expirationDateUtc = value as string;
  }
  if (p["comment"] !== undefined && typeof p["comment"] !== "string") invalid("properties.comment must be a string.");
  const stored: AlertsSuppressionRuleProperties = {
    alertType: p["alertType"],
    lastModifiedUtc: defenderTimestamp(now),
    ...(expirationDateUtc === undefined ? {} : { expirationDateUtc }),
    state: p["state"],
    reason: p["reason"],
    ...(typeof p["comment"] === "string" ? { comment: p["comment"] } : {}),
    ...(p["suppressionAlertsScope"] === undefined || p["suppressionAlertsScope"] === null
      ? {}
      : { suppressionAlertsScope: validateScope(p["suppressionAlertsScope"]) }),
  };
  const id = ruleId(call);
  const existing = call.ctx.state.suppressionRules.get(id);
  const rule: AlertsSuppressionRule = {
    id: existing?.id ?? id,
    name: existing?.name ?? name,
    type: "Microsoft.Security/alertsSuppressionRules",
    properties: stored,
  };
  call.ctx.state.suppressionRules.set(id, rule);
  return HttpResponse.json(rule);
}

function listRules(call: ArmCall): Response {
  const subscriptionId = call.params["subscriptionId"]?.toLowerCase() ?? "";
  // The swagger names the filter `AlertType`; the spec example sends `alertType`. Accept both.
  const alertType = call.url.searchParams.get("AlertType") ?? call.url.searchParams.get("alertType");
  const rules = [...call.ctx.state.suppressionRules.values()].filter(
    (rule) =>
      rule.id.toLowerCase().startsWith(`/subscriptions/${subscriptionId}/`) &&
      (alertType === null || rule.properties.alertType.toLowerCase() === alertType.toLowerCase())
  );
  return HttpResponse.json(pageOf(call, rules));
}

function getRule(call: ArmCall): Response {
  const rule = call.ctx.state.suppressionRules.get(ruleId(call));
  if (!rule) armFail(404, "NotFound", `The suppression rule '${call.params["ruleName"] ?? ""}' was not found.`);
  return HttpResponse.json(rule);
}

function deleteRule(call: ArmCall): Response {
  // Alerts the rule already dismissed stay dismissed: deleting only removes the rule.
  call.ctx.state.suppressionRules.delete(ruleId(call));
  return new HttpResponse(null, { status: 204 });
}

export function suppressionRuleRoutes(): ArmRoute[] {
  return [
    { operation: "AlertsSuppressionRules_List", method: "GET", path: armPath(BASE), apiVersions: API_VERSIONS, handle: listRules },
    {
      operation: "AlertsSuppressionRules_Get",
      method: "GET",
      path: armPath(`${BASE}/{ruleName}`),
      apiVersions: API_VERSIONS,
      handle: getRule,
    },
    {
      operation: "AlertsSuppressionRules_Update",
      method: "PUT",
      path: armPath(`${BASE}/{ruleName}`),
      apiVersions: API_VERSIONS,
      handle: putRule,
    },
    {
      operation: "AlertsSuppressionRules_Delete",
      method: "DELETE",
      path: armPath(`${BASE}/{ruleName}`),
      apiVersions: API_VERSIONS,
      handle: deleteRule,
    },
  ];
}
