import { terminalSafeLines } from "@keywarden/core";
import type { ImpactAccess, ImpactCaller, ImpactReport } from "./impact-report.js";

// A Map, not an object: a report read back from JSON may carry any access string (`constructor` included).
const accessLabels: ReadonlyMap<string, string> = new Map<ImpactAccess, string>([
  ["value-read", "VALUE READ"],
  ["modified", "MODIFIED"],
  ["metadata-only", "metadata only"],
  ["failed-attempts", "failed attempts"],
  ["named-by-alert", "named by alert"],
]);

function span(first: string | undefined, last: string | undefined): string {
  if (first === undefined && last === undefined) return "time unknown";
  if (first === last || last === undefined) return first ?? "";
  return `${first ?? "?"} .. ${last}`;
}

function caller(c: ImpactCaller): string {
  const parts = [c.userPrincipalName, c.objectId && `oid ${c.objectId}`, c.applicationId && `app ${c.applicationId}`, c.ipAddress && `ip ${c.ipAddress}`];
  const who = parts.filter((p): p is string => typeof p === "string" && p !== "").join(", ") || "unknown caller";
  return `${who}: ${c.count} request(s)${c.failedCount > 0 ? `, ${c.failedCount} failed` : ""}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

/**
 * Renders an impact report as plain text for a ticket, a chat message or a terminal. Object names, callers and
 * addresses come from the logs and the alert: every line is escaped as a whole (`terminalSafeLines`), so no value can
 * move the cursor, hide itself or start a line of its own.
 */
export function formatImpactReport(report: ImpactReport): string {
  const lines: string[] = [];
  const alert = report.alert === undefined ? "" : ` (alert ${report.alert.alertType} ${report.alert.systemAlertId})`;
  lines.push(`Impact on vault ${report.vault.name}${alert}`);
  lines.push(`Window: ${report.window.start} .. ${report.window.end}`);
  const tables = report.coverage.tables
    .filter((t) => t.status !== "not-queried")
    .map((t) => `${t.table} ${t.status}${t.status === "complete" || t.status === "partial" ? `, ${t.events} events` : ""}`);
  lines.push(
    `Evidence: ${report.basis === "logs" ? "diagnostic logs and the alert" : "the alert only"}; log coverage ${report.coverage.status}${tables.length > 0 ? ` (${tables.join("; ")})` : ""}`,
  );
  if (report.coverage.queriedWindow !== undefined) {
    lines.push(`Logs queried: ${report.coverage.queriedWindow.start} .. ${report.coverage.queriedWindow.end}`);
  }

  const suspicious = report.callers.filter((c) => c.suspicious);
  const others = report.callers.filter((c) => !c.suspicious);
  lines.push("", `Suspicious callers (${suspicious.length}):`);
  for (const c of suspicious) lines.push(`  ${caller(c)}`);
  if (suspicious.length === 0) lines.push("  none identified");
  if (others.length > 0) {
    lines.push("", `Other callers of the vault (${others.length}; census of the last days before the alert), affected by firewall or access changes:`);
    for (const c of others) lines.push(`  ${caller(c)}`);
  }

  lines.push("", `Objects (${report.objects.length}):`);
  for (const o of report.objects) {
    lines.push(
      `  ${pad(accessLabels.get(o.access) ?? o.access, 16)}${pad(o.type, 12)}${o.name}  ${o.succeeded} ok / ${o.failed} failed  ${span(o.firstTime, o.lastTime)}`,
    );
    const ops = o.operations.map((op) => `${op.operation} x${op.succeeded + op.failed}${op.failed > 0 ? ` (${op.failed} failed)` : ""}`);
    if (ops.length > 0) lines.push(`${" ".repeat(18)}${ops.join(", ")}`);
    if (o.ipAddresses.length > 0) lines.push(`${" ".repeat(18)}from ${o.ipAddresses.join(", ")}`);
    if (o.versions.length > 0) lines.push(`${" ".repeat(18)}versions ${o.versions.join(", ")}`);
  }
  if (report.objects.length === 0) lines.push("  none");

  if (report.vaultChanges.length > 0) {
    lines.push("", "Vault changes:");
    for (const c of report.vaultChanges) {
      lines.push(`  ${c.operation} (${c.kind}): ${c.succeeded} ok / ${c.failed} failed  ${span(c.firstTime, c.lastTime)}`);
    }
  }
  if (report.unattributedOperations.length > 0) {
    lines.push("", "Operations on no single object:");
    for (const op of report.unattributedOperations) {
      lines.push(`  ${op.operation} x${op.count}${op.failed > 0 ? ` (${op.failed} failed)` : ""}  [${op.source}]`);
    }
  }

  lines.push("", `Rotate (${report.toRotate.length}):`);
  for (const r of report.toRotate) lines.push(`  ${r.type} ${r.name} [${r.reasonCode}]: ${r.reason}`);
  if (report.toRotate.length === 0) lines.push("  nothing: no value was read or written");

  if (report.gaps.length > 0) {
    lines.push("", "Gaps:");
    for (const g of report.gaps) lines.push(`  ${g.code}${g.table === undefined ? "" : ` ${g.table}`}: ${g.message}`);
  }
  return terminalSafeLines(lines);
}
