import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";

import { type KeyVaultAlert } from "@keywarden/alerts";
import { InMemoryJournal, terminalSafe, type Journal } from "@keywarden/core";
import { stepOutcomesFromResult, verifyResponse, type ApprovalRequest, type RemediationPlan, type VerificationCheck } from "@keywarden/remediation";

import { createAlertsClient } from "../environment/alerts-client.js";
import { CliError, CliErrorCode } from "../errors/cli-error.js";
import { loadPolicyFile, type ResponsePolicy } from "../input/policy-input.js";
import { buildIncidentReport, renderIncidentMarkdown, renderIncidentText } from "../report/incident-report.js";
import { CliNotifier } from "../respond/executors.js";
import { runImpact, runPlanning, runTriage } from "../respond/pipeline.js";
import { loadRotatorModules } from "../input/rotator-modules.js";
import { runPlan } from "../respond/run-plan.js";
import { openSandboxEnvironment } from "../sandbox/sandbox-environment.js";
import { defaultScenarioName, scenarioSeed, seedFromOptions } from "../sandbox/sandbox-seed.js";
import type { CommandContext } from "../runtime/command-context.js";
import { commandLine } from "../runtime/command-line.js";
import { ExitCode } from "../runtime/exit-code.js";
import { onInterrupt } from "../runtime/interrupt.js";
import { openJournal } from "../runtime/journal-file.js";

export interface DemoOptions {
  scenario?: string;
  seed?: string;
  report?: string;
  journal?: string;
  policy?: string;
}

const severityRank: Record<string, number> = { High: 0, Medium: 1, Low: 2, Informational: 3 };

/** The alert the demo responds to: real before simulated, most severe first, then the newest. */
export function pickAlert(alerts: readonly KeyVaultAlert[]): KeyVaultAlert | undefined {
  return [...alerts].sort(
    (a, b) =>
      Number(a.simulated) - Number(b.simulated) ||
      (severityRank[a.severity] ?? 9) - (severityRank[b.severity] ?? 9) ||
      (b.generatedTime ?? b.startTime ?? "").localeCompare(a.generatedTime ?? a.startTime ?? ""),
  )[0];
}

/**
 * The demo's approver stands in for the on-call responder under the scenario's policy: steps the policy lets run
 * without approval never ask; containment and other reversible or recoverable steps are approved; destructive
 * steps (a purge, a delete) are left for the owner and show up as follow-up in the report.
 */
function demoApprover(request: ApprovalRequest): { approved: boolean; by: string; comment: string } {
  if (request.step.risk === "destructive") {
    return { approved: false, by: "keywarden demo", comment: "destructive: left for the owner to decide" };
  }
  return { approved: true, by: "keywarden demo", comment: `${request.step.risk} change approved by the demo policy` };
}

function section(context: CommandContext, title: string, body?: string): void {
  if (context.output.format === "json") return;
  const c = context.output.errColors;
  // The title names the alert and the vault: escaped before it is coloured. Bodies come from the formatters (escaped).
  context.output.noteRendered(`\n${c.bold(c.cyan(`▶ ${terminalSafe(title, { singleLine: true })}`))}${body === undefined ? "" : `\n${terminalSafe(body)}`}`);
}

/** `keywarden demo [--scenario NAME | --seed FILE] [--report FILE] [--journal FILE] [--policy FILE]` */
export async function demo(context: CommandContext, options: DemoOptions): Promise<number> {
  const chosen = (await seedFromOptions(context, options)) ?? { seed: await scenarioSeed(defaultScenarioName), source: `scenario ${defaultScenarioName}` };
  const scenario = options.scenario ?? (options.seed === undefined ? defaultScenarioName : undefined);
  const policy: ResponsePolicy = await loadPolicyFile(context, options.policy);
  const opened = options.journal === undefined ? undefined : await openJournal(context, options.journal, { purpose: "demo" });
  const journal: Journal = opened?.journal ?? new InMemoryJournal();
  // The demo's tenant is its own: the --sandbox state file is neither read nor changed.
  const env = await openSandboxEnvironment(context, { seed: chosen.seed, persist: false });
  const interrupt = onInterrupt(context);
  try {
    section(context, `Keywarden demo on the sandbox tenant (${chosen.source})`, chosen.seed.description);

    const alertsClient = await createAlertsClient(env);
    const alerts: KeyVaultAlert[] = [];
    for await (const alert of alertsClient.listAlerts({ subscriptionIds: [...env.subscriptionIds], includeSimulated: true })) alerts.push(alert);
    const alert = pickAlert(alerts.filter((candidate) => candidate.status === "Active" || candidate.status === "InProgress")) ?? pickAlert(alerts);
    if (alert === undefined) {
      throw new CliError(CliErrorCode.AlertNotFound, `The sandbox tenant from ${chosen.source} holds no Defender for Key Vault alert to respond to.`);
    }
    section(context, `1. Ingest: ${alerts.length} Key Vault alert(s); responding to ${alert.kind} on vault ${alert.vault.name}`, `   ${terminalSafe(alert.displayName, { singleLine: true })}\n   ${terminalSafe(alert.id, { singleLine: true })}`);

    const [triageModule, impactModule, remediationModule] = await Promise.all([
      import("@keywarden/triage"),
      import("@keywarden/impact"),
      import("@keywarden/remediation"),
    ]);
    const triage = await runTriage(env, alert, policy, interrupt.signal);
    section(context, "2. Identify the source and decide", triageModule.formatTriageReport(triage));

    const impact = await runImpact(env, alert, undefined, interrupt.signal);
    section(context, "3. Measure the impact", impactModule.formatImpactReport(impact));

    const rotators = policy.rotators === undefined ? [] : await loadRotatorModules(policy.rotators);
    const plan: RemediationPlan = await runPlanning(env, triage, impact, policy, { rotators, ...(policy.planning === undefined ? {} : { versionReads: policy.planning.versionReads }) });
    section(context, "4. Plan the response", remediationModule.formatPlan(plan));

    section(context, "5. Approve and apply (the demo approves containment and reversible steps; destructive ones are left to the owner)");
    const notifier = new CliNotifier(context.output);
    const result = await runPlan(context, {
      plan,
      env,
      journal,
      approve: (request) => Promise.resolve(demoApprover(request)),
      notifier,
      dryRun: false,
      signal: interrupt.signal,
      rotators,
    });

    section(context, "6. Verify");
    let verification: VerificationCheck[] = [];
    if (result.status !== "aborted") {
      const after = await runTriage(env, alert, policy, interrupt.signal);
      const status = (await alertsClient.getAlert(alert.id)).status;
      verification = verifyResponse(plan, result, triage, after, status);
    }

    const report = buildIncidentReport({
      generatedAt: env.now().toISOString(),
      mode: "sandbox",
      ...(scenario === undefined ? {} : { scenario }),
      alert,
      triage,
      impact,
      plan,
      outcomes: stepOutcomesFromResult(result),
      verification,
      ...(opened === undefined ? {} : { journal: opened.displayPath }),
    });
    if (options.report !== undefined) {
      await writeFile(resolve(context.cwd, options.report), renderIncidentMarkdown(report), "utf8");
      context.output.note(`Incident report written to ${options.report}`);
    }
    context.output.result({ scenario: scenario ?? null, source: chosen.source, alert, triage, impact, plan, result, tasks: notifier.tasks, report }, (c) =>
      `\n${renderIncidentText(report, c)}\n\n${c.dim(`Try it step by step: ${commandLine(context, ["sandbox", "reset", ...(options.seed === undefined ? ["--scenario", scenario ?? defaultScenarioName] : ["--seed", options.seed])], { sandboxCommand: true })} && ${commandLine(context, ["alerts", "list"], { sandbox: true })}`)}`,
    );
    const failedChecks = verification.filter((check) => !check.passed).length;
    if (result.status === "aborted") return ExitCode.Interrupted;
    // Steps the demo policy leaves to the owner make the run "incomplete" by design: that is not a failure.
    return result.status === "failed" || failedChecks > 0 ? ExitCode.Failure : ExitCode.Success;
  } finally {
    interrupt.dispose();
    await env.close();
    await opened?.close();
  }
}
