import type { KeyVaultAlert } from "@keywarden/alerts";

import type { Colors } from "../runtime/output.js";
import { canonicalResourceId } from "./resource-id.js";
import { safeField as t } from "./safe-field.js";

function severityColor(severity: string, c: Colors): (text: string) => string {
  switch (severity) {
    case "High":
      return c.red;
    case "Medium":
      return c.yellow;
    default:
      return c.cyan;
  }
}

/** A few lines per alert for lists: kind, severity, status, vault, time, source, id. Every alert field is escaped. */
export function renderAlertSummary(alert: KeyVaultAlert, c: Colors, verbose = false): string {
  const severity = severityColor(alert.severity, c)(t(alert.severity));
  const source = [alert.source.ipAddress, alert.source.userPrincipalName ?? alert.source.applicationId ?? alert.source.objectId]
    .filter((part): part is string => part !== undefined)
    .join(" / ");
  const lines = [
    `${c.bold(t(alert.kind === "unknown" ? alert.alertType : alert.kind))}${alert.simulated ? c.dim(" (simulated)") : ""}  ${severity}  ${t(alert.status)}  vault ${c.bold(t(alert.vault.name))}  ${t(alert.startTime ?? alert.generatedTime ?? "")}`,
    `  ${t(alert.displayName)}`,
  ];
  if (source !== "") lines.push(`  source: ${t(source)}`);
  lines.push(`  ${c.dim(t(canonicalResourceId(alert.id)))}`);
  if (verbose) {
    for (const warning of alert.warnings) lines.push(`  ${c.yellow("warning:")} ${t(warning.message)} ${c.dim(`(${t(warning.path)})`)}`);
  } else if (alert.warnings.length > 0) {
    lines.push(`  ${c.dim(`${alert.warnings.length} parse warning(s) (placeholders, casing, precision): --verbose shows them`)}`);
  }
  return lines.join("\n");
}

export function renderAlertList(alerts: readonly KeyVaultAlert[], c: Colors, empty: string, verbose = false): string {
  if (alerts.length === 0) return c.dim(empty);
  return `${alerts.map((alert) => renderAlertSummary(alert, c, verbose)).join("\n\n")}\n\n${c.dim(`${alerts.length} alert${alerts.length === 1 ? "" : "s"}`)}`;
}
