import type { AlertsSuppressionRule, SecurityAlert } from "../state/arm-types.js";

function normalizeType(type: string): string {
  return type.toLowerCase().replaceAll("-", "");
}

function propertyValue(entity: Record<string, unknown>, property: string): unknown {
  const wanted = property.toLowerCase();
  for (const [key, value] of Object.entries(entity)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * Whether a suppression rule dismisses an alert, the way Defender applies rules to new alerts: the alert type
 * matches (`*` for any) and every scope element (`entities.<type>.<property>` with `in` or `contains`) matches some
 * entity. An alert without entities is suppressed by the alert type alone (POL-SUP: "Alerts without entities will be
 * suppressed entirely"). Comparisons ignore case.
 */
export function suppressionRuleMatches(rule: AlertsSuppressionRule, alert: SecurityAlert): boolean {
  const { alertType, suppressionAlertsScope } = rule.properties;
  if (alertType !== "*" && alertType.toLowerCase() !== (alert.properties.alertType ?? "").toLowerCase()) return false;
  const entities = alert.properties.entities ?? [];
  if (entities.length === 0) return true;
  return (suppressionAlertsScope?.allOf ?? []).every((element) => {
    const [prefix, entityType, property] = element.field.split(".");
    if (prefix?.toLowerCase() !== "entities" || entityType === undefined || property === undefined) return false;
    return entities.some((entity) => {
      if (normalizeType(typeof entity["type"] === "string" ? entity["type"] : "") !== normalizeType(entityType)) return false;
      const value = propertyValue(entity, property);
      if (typeof value !== "string") return false;
      const list = element["in"];
      if (Array.isArray(list)) return list.some((candidate) => String(candidate).toLowerCase() === value.toLowerCase());
      const contains = element["contains"];
      return typeof contains === "string" && value.toLowerCase().includes(contains.toLowerCase());
    });
  });
}
