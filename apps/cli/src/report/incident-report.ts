import type { KeyVaultAlert } from "@keywarden/alerts";
import type { ImpactReport } from "@keywarden/impact";
import { countStepOutcomes, isStepDone, permissionCatalog, type RemediationPlan, type ReportedStepOutcome, type VerificationCheck } from "@keywarden/remediation";
import type { TriageReport } from "@keywarden/triage";
import { markdownCode, markdownSafe, terminalSafe } from "@keywarden/core";

import { canonicalResourceId } from "../render/resource-id.js";
import type { Colors } from "../runtime/output.js";

type StepOutcome = ReportedStepOutcome;
export type { VerificationCheck };

/**
 * The incident report that ends `demo` and `apply`: what the alert was, who was behind it, what they touched, what
 * was changed in response (step by step, from the journal), what was verified, and what is left to do. JSON for
 * SOAR tools, Markdown for the ticket, text for the terminal. It never holds a secret value: its sources do not.
 */
export interface IncidentReport {
  schemaVersion: 1;
  generatedAt: string;
  mode: "live" | "sandbox";
  scenario?: string;
  alert?: {
    id: string;
    displayName: string;
    kind: string;
    severity: string;
    simulated: boolean;
    vault: string;
    startTime?: string;
    endTime?: string;
    sourceIp?: string;
    principal?: string;
  };
  triage?: {
    origin: string;
    verdict: string;
    summary: string;
    findings: { id: string; severity: string; message: string }[];
  };
  impact?: {
    basis: string;
    coverage: string;
    objects: { type: string; name: string; access: string; succeeded: number; failed: number; lastTime?: string }[];
    toRotate: { type: string; name: string; reason: string }[];
    gaps: string[];
  };
  plan?: { id: string; dryRun: boolean; steps: number };
  outcomes: StepOutcome[];
  verification: VerificationCheck[];
  journal?: string;
  followUp: string[];
}

export interface IncidentReportInput {
  generatedAt: string;
  mode: "live" | "sandbox";
  scenario?: string;
  alert?: KeyVaultAlert;
  triage?: TriageReport;
  impact?: ImpactReport;
  plan?: RemediationPlan;
  dryRun?: boolean;
  outcomes?: StepOutcome[];
  verification?: VerificationCheck[];
  journal?: string;
  /** The command that undoes what was applied, when something reversible was applied. */
  rollbackCommand?: string;
  /** For a dry run: the command that makes the changes (printed as the follow-up, exactly as it must be run). */
  applyCommand?: string;
  /** The follow-up plan once an owner confirms a secret's rotation at its source (`keywarden respond <alert> --owner-confirmed <secret> ...`). */
  ownerConfirmedCommand?: (secret: string) => string;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** For a step Azure refused with 403: the permission and role it needs, or the firewall that may be in the way. */
function forbiddenHint(outcome: StepOutcome): string {
  if (outcome.error?.status !== 403) return "";
  const requirement = permissionCatalog.find((candidate) => candidate.operation.split(" / ").some((name) => name === outcome.kind || candidate.operation.startsWith(outcome.kind)));
  const needs = requirement === undefined ? "" : ` It needs ${requirement.permission} (built-in role: ${requirement.role}).`;
  return `${needs} If the vault's firewall is closed, this machine's address must be allowed (--allow-ip).`;
}

function principalLabel(alert: KeyVaultAlert): string | undefined {
  const source = alert.source;
  return source.userPrincipalName ?? source.applicationId ?? source.objectId;
}

export function buildIncidentReport(input: IncidentReportInput): IncidentReport {
  const outcomes = input.outcomes ?? [];
  const counts = countStepOutcomes(outcomes);
  const followUp: string[] = [];
  for (const outcome of outcomes) {
    if (outcome.dryRun && outcome.verdict === "would-fail") {
      // A dry run's failure is a forecast: fix it before applying.
      followUp.push(`Step ${outcome.stepId} (${outcome.kind}) would fail: ${sentence((outcome.error?.message ?? outcome.message).replace(/^Dry run: /, ""))} Fix this before applying.`);
      continue;
    }
    if (outcome.dryRun && outcome.verdict === "needs-approval") followUp.push(`Step ${outcome.stepId} (${outcome.kind}) needs approval when applied: ${sentence(outcome.message)}`);
    if (outcome.status === "denied") followUp.push(`Step ${outcome.stepId} (${outcome.kind}) was not approved: decide and apply it by hand or re-run apply.`);
    if (outcome.status === "failed") followUp.push(`Step ${outcome.stepId} (${outcome.kind}) failed: ${sentence(outcome.error?.message ?? outcome.message)}${forbiddenHint(outcome)} Fix the cause and apply again; finished steps are not repeated.`);
    if (outcome.status === "not-delivered") followUp.push(`Step ${outcome.stepId} (${outcome.kind}) was not delivered: ${sentence(outcome.error?.message ?? outcome.message)} Fix the notify target, then apply again with the same journal.`);
    if (outcome.status === "not-run") followUp.push(`Step ${outcome.stepId} (${outcome.kind}) did not finish: apply again with the same journal to resume.`);
  }
  // Objects the impact says to rotate that no finished credential step of the plan covered.
  const done = new Set(outcomes.filter((outcome) => isStepDone(outcome)).map((outcome) => outcome.stepId));
  const covered = new Set(
    (input.plan?.steps ?? [])
      .filter((step) => done.has(step.id) && /^(rotate|disable|delete)-/.test(step.kind))
      .flatMap((step) => (step.target.objects ?? []).map((object) => `${object.type}/${object.name.toLowerCase()}`)),
  );
  // Secrets whose rotation was handed to their owner (a contact-owner task naming them): the follow-up plan disables them.
  const withOwner = new Set<string>();
  for (const step of input.plan?.steps ?? []) {
    if (step.kind !== "contact-owner") continue;
    for (const object of step.target.objects ?? []) {
      withOwner.add(`${object.type}/${object.name.toLowerCase()}`);
      if (!done.has(step.id)) continue;
      followUp.push(
        `The owner rotates ${object.type} '${object.name}' at its source (task ${step.id}); its exposed versions stay enabled until they confirm.` +
          (input.ownerConfirmedCommand === undefined ? "" : ` Then plan the follow-up that disables them: ${input.ownerConfirmedCommand(object.name)}`),
      );
    }
  }
  for (const rotation of input.impact?.toRotate ?? []) {
    const key = `${rotation.type}/${rotation.name.toLowerCase()}`;
    if (!covered.has(key) && !withOwner.has(key)) followUp.push(`Rotate ${rotation.type} '${rotation.name}': ${rotation.reason}`);
  }
  for (const gap of input.impact?.gaps ?? []) followUp.push(`Impact gap: ${gap.message}`);
  if (input.dryRun === true && outcomes.length > 0) {
    followUp.push(`This was a dry run: nothing was changed.${input.applyCommand === undefined ? "" : ` To make the changes: ${input.applyCommand}`}`);
  }
  if (input.rollbackCommand !== undefined && input.dryRun !== true && counts.succeeded > 0) followUp.push(`To undo the reversible changes: ${input.rollbackCommand}`);
  for (const check of input.verification ?? []) if (!check.passed) followUp.push(`Verification failed: ${check.check}: ${check.detail}`);

  const alert = input.alert;
  const sourceIp = alert?.source.ipAddress;
  const principal = alert === undefined ? undefined : principalLabel(alert);
  return {
    schemaVersion: 1,
    generatedAt: input.generatedAt,
    mode: input.mode,
    ...(input.scenario === undefined ? {} : { scenario: input.scenario }),
    ...(alert === undefined
      ? {}
      : {
          alert: {
            // For people: ARM's canonical casing, not Defender's upper case (the plan keeps the exact id).
            id: canonicalResourceId(alert.id),
            displayName: alert.displayName,
            kind: alert.kind,
            severity: alert.severity,
            simulated: alert.simulated,
            vault: alert.vault.name,
            ...(alert.startTime === undefined ? {} : { startTime: alert.startTime }),
            ...(alert.endTime === undefined ? {} : { endTime: alert.endTime }),
            ...(sourceIp === undefined ? {} : { sourceIp }),
            ...(principal === undefined ? {} : { principal }),
          },
        }),
    ...(input.triage === undefined
      ? {}
      : {
          triage: {
            origin: input.triage.decision.origin,
            verdict: input.triage.decision.verdict,
            summary: input.triage.decision.summary,
            findings: input.triage.findings.map((finding) => ({ id: finding.id, severity: finding.severity, message: finding.message })),
          },
        }),
    ...(input.impact === undefined
      ? {}
      : {
          impact: {
            basis: input.impact.basis,
            coverage: input.impact.coverage.status,
            objects: input.impact.objects.map((object) => ({
              type: object.type,
              name: object.name,
              access: object.access,
              succeeded: object.succeeded,
              failed: object.failed,
              ...(object.lastTime === undefined ? {} : { lastTime: object.lastTime }),
            })),
            toRotate: input.impact.toRotate.map((rotation) => ({ type: rotation.type, name: rotation.name, reason: rotation.reason })),
            gaps: input.impact.gaps.map((gap) => gap.message),
          },
        }),
    ...(input.plan === undefined ? {} : { plan: { id: input.plan.id, dryRun: input.dryRun === true, steps: input.plan.steps.length } }),
    outcomes,
    verification: input.verification ?? [],
    ...(input.journal === undefined ? {} : { journal: input.journal }),
    followUp,
  };
}

function verdicts(outcomes: readonly StepOutcome[], verdict: NonNullable<StepOutcome["verdict"]>): number {
  return outcomes.filter((outcome) => outcome.verdict === verdict).length;
}

const statusMarks: Record<StepOutcome["status"], string> = {
  succeeded: "✔ done",
  sent: "✉ sent",
  "not-delivered": "✘ not delivered",
  "already-done": "✔ already done",
  "completed-earlier": "✔ done earlier",
  skipped: "✔ done in incident",
  "would-change": "○ would change",
  denied: "✘ not approved",
  "awaiting-approval": "… awaiting approval",
  failed: "✘ failed",
  "not-run": "… not run",
};

/** A dry run's "succeeded" is a change that would be made, not one that was. */
function statusMark(outcome: StepOutcome): string {
  if (outcome.dryRun && outcome.verdict === "would-fail") return "✘ would fail";
  if (outcome.dryRun && outcome.verdict === "needs-approval") return "? needs approval";
  if (outcome.dryRun && outcome.status === "succeeded") return statusMarks["would-change"];
  // A task handed to a notifier was sent; nobody has confirmed anything yet, so it is never shown as verified.
  if (outcome.status === "succeeded" && (outcome.kind === "contact-owner" || outcome.kind === "escalate-to-admin")) return "✉ sent";
  if (outcome.dryRun && outcome.status === "already-done") return "○ nothing to change";
  return statusMarks[outcome.status];
}

/** Outside text (alert, tenant, error messages) in a Markdown line or table cell: nothing in it can act. */
const md = (text: string | number | undefined): string => markdownSafe(String(text ?? ""), { singleLine: true });
/** Outside text as inline code, fenced so it cannot close its own span. */
const code = (text: string | number): string => markdownCode(String(text));

/** The report as Markdown, for a ticket or a wiki page (`--report FILE`). Every value from the alert or tenant is escaped. */
export function renderIncidentMarkdown(report: IncidentReport): string {
  const lines: string[] = [];
  const title = report.alert === undefined ? "Keywarden incident report" : `Incident report: ${md(report.alert.displayName)}`;
  lines.push(`# ${title}`, "");
  lines.push(`Generated ${md(report.generatedAt)} by Keywarden (${md(report.mode)}${report.scenario === undefined ? "" : `, scenario ${code(report.scenario)}`}).`, "");
  if (report.alert !== undefined) {
    const a = report.alert;
    lines.push("## Alert", "");
    lines.push(`| Field | Value |`, `|---|---|`);
    lines.push(`| Kind | ${code(a.kind)}${a.simulated ? " (simulated)" : ""} |`);
    lines.push(`| Severity | ${md(a.severity)} |`);
    lines.push(`| Vault | ${code(a.vault)} |`);
    if (a.startTime !== undefined) lines.push(`| Window | ${md(a.startTime)} – ${md(a.endTime ?? "?")} |`);
    if (a.sourceIp !== undefined) lines.push(`| Source IP | ${code(a.sourceIp)} |`);
    if (a.principal !== undefined) lines.push(`| Principal | ${code(a.principal)} |`);
    lines.push(`| Alert id | ${code(a.id)} |`, "");
  }
  if (report.triage !== undefined) {
    lines.push("## 1. Source and decision", "");
    lines.push(`**Origin:** ${md(report.triage.origin)}. **Verdict:** ${md(report.triage.verdict)}.`, "", md(report.triage.summary), "");
    for (const finding of report.triage.findings) lines.push(`- **${md(finding.severity)}** ${md(finding.message)} (${code(finding.id)})`);
    lines.push("");
  }
  if (report.impact !== undefined) {
    lines.push("## 2. Impact", "");
    lines.push(`Built from ${report.impact.basis === "logs" ? "the alert and the vault's diagnostic logs" : "the alert only"}; log coverage: ${md(report.impact.coverage)}.`, "");
    if (report.impact.objects.length > 0) {
      lines.push("| Object | Access | Succeeded | Failed | Last seen |", "|---|---|---|---|---|");
      for (const object of report.impact.objects) {
        lines.push(`| ${md(object.type)} ${code(object.name)} | ${md(object.access)} | ${object.succeeded} | ${object.failed} | ${md(object.lastTime ?? "")} |`);
      }
      lines.push("");
    } else {
      lines.push("No object access was found.", "");
    }
    for (const rotation of report.impact.toRotate) lines.push(`- Rotate ${md(rotation.type)} ${code(rotation.name)}: ${md(rotation.reason)}`);
    if (report.impact.toRotate.length > 0) lines.push("");
  }
  if (report.outcomes.length > 0) {
    lines.push("## 3. Response", "");
    if (report.plan !== undefined) lines.push(`Plan ${code(report.plan.id)}${report.plan.dryRun ? " (dry run: nothing was changed)" : ""}.`, "");
    lines.push("| Step | Action | Outcome | Detail |", "|---|---|---|---|");
    for (const outcome of report.outcomes) {
      // Step ids and kinds are the plan schema's own (`s01-enable-firewall`): letters, digits and dashes only.
      lines.push(`| ${outcome.stepId} | ${outcome.kind} | ${statusMark(outcome)} | ${md(outcome.error?.message ?? outcome.message)} |`);
    }
    lines.push("");
  }
  if (report.verification.length > 0) {
    lines.push("## 4. Verification", "");
    for (const check of report.verification) lines.push(`- ${check.passed ? "✔" : "✘"} ${md(check.check)}: ${md(check.detail)}`);
    lines.push("");
  }
  lines.push("## Follow-up", "");
  if (report.followUp.length === 0) lines.push("Nothing left to do.");
  for (const item of report.followUp) lines.push(`- ${md(item)}`);
  if (report.journal !== undefined) lines.push("", `Journal: ${code(report.journal)}`);
  return `${lines.join("\n")}\n`;
}

/** Outside text on one terminal line: escape sequences, bidi overrides and line breaks are shown, never acted on. */
const t = (text: string): string => terminalSafe(text, { singleLine: true });

/** The report for the terminal. */
export function renderIncidentText(report: IncidentReport, c: Colors): string {
  const lines: string[] = [];
  lines.push(c.bold("Incident report"));
  if (report.alert !== undefined) {
    const a = report.alert;
    lines.push(`  ${t(a.displayName)} (${t(a.kind)}${a.simulated ? ", simulated" : ""}), severity ${t(a.severity)}, vault ${c.bold(t(a.vault))}`);
    if (a.sourceIp !== undefined || a.principal !== undefined) lines.push(`  source: ${t([a.sourceIp, a.principal].filter((part) => part !== undefined).join(" / "))}`);
  }
  if (report.triage !== undefined) lines.push(`  origin: ${t(report.triage.origin)}; verdict: ${t(report.triage.verdict)}`);
  if (report.impact !== undefined) {
    const read = report.impact.objects.filter((object) => object.access === "value-read").length;
    lines.push(`  impact: ${report.impact.objects.length} object(s) touched, ${read} value(s) read; log coverage ${report.impact.coverage}`);
  }
  if (report.outcomes.length > 0) {
    const counts = countStepOutcomes(report.outcomes);
    const dryRun = report.outcomes.some((outcome) => outcome.dryRun);
    lines.push(
      dryRun
        ? `  response (dry run): ${counts.succeeded + counts["would-change"]} would change, ${counts["already-done"]} nothing to change, ` +
          `${verdicts(report.outcomes, "would-succeed")} would succeed, ${verdicts(report.outcomes, "needs-approval")} need approval, ${verdicts(report.outcomes, "would-fail")} would fail`
        : `  response: ${counts.succeeded} done, ${counts["already-done"] + counts["completed-earlier"]} already done,${counts.skipped > 0 ? ` ${counts.skipped} done earlier in the incident (not repeated),` : ""} ${counts.denied} not approved, ${counts.failed} failed` +
            (counts.sent > 0 ? `, ${counts.sent} task(s) sent` : "") +
            (counts["not-delivered"] > 0 ? `, ${counts["not-delivered"]} task(s) not delivered` : "") +
            (counts["not-run"] > 0 ? `, ${counts["not-run"]} not run` : ""),
    );
    for (const outcome of report.outcomes) {
      // Pad before colouring: escape codes would count as width.
      const label = statusMark(outcome).padEnd(16);
      const mark =
        isStepDone(outcome)
          ? c.green(label)
          : outcome.status === "failed" || outcome.status === "denied" || outcome.status === "not-delivered" || outcome.verdict === "would-fail"
            ? c.red(label)
            : c.yellow(label);
      lines.push(`    ${mark} ${outcome.kind} ${c.dim(`(${outcome.stepId})`)}`);
    }
  }
  for (const check of report.verification) lines.push(`  ${check.passed ? c.green("✔ verified") : c.red("✘ NOT verified")} ${t(check.check)}: ${t(check.detail)}`);
  if (report.followUp.length > 0) {
    lines.push(c.bold("Follow-up"));
    for (const item of report.followUp) lines.push(`  - ${t(item)}`);
  }
  return lines.join("\n");
}
