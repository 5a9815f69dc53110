import { terminalSafeLines } from "@keywarden/core";
import type { RecommendedAction } from "./recommended-action.js";
import type { IpReport, PrincipalReport } from "./source-report.js";
import type { TriageReport } from "./triage-report.js";

export interface FormatTriageReportOptions {
  /** Include every finding's evidence lines. Default true. */
  evidence?: boolean;
}

/**
 * Renders a triage report as plain text for people: the source (step 1), the evidence that decided the origin,
 * what is missing, the findings, and the recommended actions with their reasons (step 2). No colour codes; the CLI
 * adds those on a TTY. Names, UPNs, locations and messages come from the alert and the tenant: every line is escaped
 * as a whole (`terminalSafeLines`), so no value can move the cursor, hide itself or start a line of its own.
 */
export function formatTriageReport(report: TriageReport, options: FormatTriageReportOptions = {}): string {
  const showEvidence = options.evidence ?? true;
  const { source, decision } = report;
  const lines: string[] = [];
  lines.push(`Triage: ${report.alertType}${report.simulated ? " (sample alert)" : ""} — ${source.vault.name}`);
  lines.push(`  alert   ${report.systemAlertId}`);
  lines.push(`  vault   ${source.vault.resourceId}${source.vault.authorization === undefined ? "" : ` (${source.vault.authorization})`}`);
  lines.push(`  access  ${source.accessOutcome}`);
  lines.push("");
  lines.push("Source");
  lines.push(`  ip         ${describeIp(source.ip)}`);
  lines.push(`  principal  ${describePrincipal(source.principal)}`);
  if (source.application !== undefined) lines.push(`  app        ${describePrincipal(source.application)}`);
  const access = source.principal.vaultAccess;
  if (access !== undefined) {
    lines.push(`  access     ${access.accessPolicies.length} access-policy entr${access.accessPolicies.length === 1 ? "y" : "ies"}, ${access.roleAssignments.length} role assignment(s)${access.canReadSecrets ? "; can read secrets" : ""}${access.canChangeAccess ? "; can change access" : ""}`);
    for (const ref of access.roleAssignments) {
      lines.push(`               ${ref.roleName ?? ref.roleDefinitionGuid} at ${ref.scope} (${ref.inheritance})`);
    }
  }
  if (source.principal.directoryRoles.length > 0) {
    lines.push(`  roles      ${source.principal.directoryRoles.map((role) => `${role.roleName}${role.state === "eligible" ? " (eligible)" : ""}`).join(", ")}`);
  }
  lines.push(`  origin     ${source.origin}`);
  for (const evidence of source.originEvidence) lines.push(`    - ${evidence.message}`);
  for (const conflict of source.originConflicts ?? []) lines.push(`    ! ${conflict.message}`);
  if (source.missingEvidence.length > 0) {
    lines.push("  missing evidence");
    for (const missing of source.missingEvidence) lines.push(`    - ${missing.evidence}: ${missing.message}`);
  }
  lines.push("");
  lines.push("Findings");
  if (report.findings.length === 0) lines.push("  (none)");
  for (const finding of report.findings) {
    lines.push(`  [${finding.severity}] ${finding.ruleId}: ${finding.message}`);
    if (showEvidence) for (const evidence of finding.evidence) lines.push(`      · ${evidence.message}`);
  }
  lines.push("");
  lines.push(`Decision: ${decision.verdict} — ${decision.summary}`);
  decision.recommendedActions.forEach((action, index) => {
    lines.push(`  ${index + 1}. ${action.kind}${action.requiresApproval ? " (needs approval)" : ""}: ${describeAction(action)}`);
    lines.push(`     because ${action.reason.message} [${action.reason.findingId}]`);
  });
  if (decision.closingBlockers.length > 0) lines.push(`  the alert stays open until ${decision.closingBlockers.length} step(s) complete (owner answers, containment).`);
  for (const note of report.disabledRules) lines.push(`  disabled rule: ${note.message}`);
  if (decision.withheldActions.length > 0) {
    lines.push("  withheld:");
    for (const item of decision.withheldActions) lines.push(`    - ${item.kind} (${item.ruleId}): ${item.reason}`);
  }
  return terminalSafeLines(lines);
}

function describeIp(ip: IpReport): string {
  if (ip.status !== "valid") return `${ip.address ?? "(none)"} — ${ip.status}`;
  const facts: string[] = [];
  if (ip.torExitNode === true) facts.push("Tor exit node");
  if (ip.private === true) facts.push("private");
  if (ip.tenantAddressSpace?.matched === true) facts.push(`tenant address space ${ip.tenantAddressSpace.range ?? ""}`);
  if (ip.tenantPublicIp !== undefined) facts.push(`tenant public IP ${ip.tenantPublicIp.name} (${ip.tenantPublicIp.resourceId})`);
  if (ip.azure !== undefined) facts.push(`Azure-hosted (${ip.azure.serviceTag}), could be any Azure customer`);
  if (ip.vaultFirewall !== undefined) facts.push(ip.vaultFirewall.explanation);
  if (ip.location !== undefined) facts.push(ip.location);
  return `${ip.address ?? ""}${facts.length === 0 ? "" : ` — ${facts.join("; ")}`}`;
}

function describePrincipal(principal: PrincipalReport): string {
  if (principal.objectId === undefined && principal.appId === undefined) return "unknown (no object id)";
  const name = principal.displayName ?? principal.userPrincipalName ?? principal.appId ?? principal.objectId ?? "";
  const parts: string[] = [principal.type, principal.membership];
  if (principal.microsoftFirstParty) parts.push("Microsoft first-party");
  if (principal.foundInDirectory === false) parts.push("not in directory");
  return `${name} ${principal.objectId === undefined ? "" : `(${principal.objectId}) `}— ${parts.join(", ")}`;
}

function describeAction(action: RecommendedAction): string {
  switch (action.kind) {
    case "contact-owner":
      return `ask ${action.parameters.recipients.map((r) => r.ref?.userPrincipalName ?? r.ref?.displayName ?? r.role).join(", ")} (${action.parameters.topics.join(", ")})`;
    case "escalate-to-admin":
      return `directory roles ${action.parameters.directoryRoles.map((role) => role.roleName).join(", ")} of ${action.target.principal.displayName ?? action.target.principal.objectId}`;
    case "enable-firewall":
      return `${action.target.name}: defaultAction Deny, bypass ${action.parameters.bypass}; keep ${action.parameters.keepIpRules.length} ip rule(s) and ${action.parameters.keepVirtualNetworkRules.length} subnet(s)${action.parameters.addIpRules.length > 0 ? `; add ${action.parameters.addIpRules.join(", ")}` : ""}`;
    case "remove-access-policy":
      return `${action.parameters.entries.length} entr${action.parameters.entries.length === 1 ? "y" : "ies"} of ${action.target.principal.objectId} on ${action.target.vault.name}`;
    case "restrict-permissions":
      return `take ${Object.entries(action.parameters.remove).map(([category, list]) => `${category}: ${(list as string[]).join("/")}`).join("; ")} from ${action.target.principal.objectId}`;
    case "remove-role-assignments":
      return `delete ${action.parameters.assignments.map((ref) => `${ref.roleName ?? ref.roleDefinitionGuid} at ${ref.scope}`).join(", ") || "nothing"}${action.parameters.reportOnly.length > 0 ? `; review ${action.parameters.reportOnly.length} inherited` : ""}`;
    case "revoke-sessions":
      return `${action.target.userPrincipalName ?? action.target.displayName ?? action.target.objectId}`;
    case "measure-impact":
      return `${action.parameters.scope === "all-vaults" ? "all vaults" : action.target.vault.name}, ${action.parameters.start} – ${action.parameters.end}`;
    case "rotate-secrets":
    case "disable-secrets":
    case "delete-secrets":
    case "rotate-keys":
      return `${action.parameters.names.length > 0 ? action.parameters.names.join(", ") : "(none named)"}${action.parameters.includeExposedFromImpact ? " + whatever the impact measurement finds exposed" : ""} on ${action.target.name}`;
    case "update-alert-state":
      return `${action.parameters.state}: ${action.parameters.comment}`;
  }
}
