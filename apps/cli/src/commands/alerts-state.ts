import { join } from "node:path";

import type { AlertStateAction, AlertStateChangeResult } from "@keywarden/alerts";
import { FileJournal, type JournalEntry } from "@keywarden/core";

import { createAlertsClient } from "../environment/alerts-client.js";
import { withEnvironment } from "../environment/open-environment.js";
import { CliErrorCode, invalidInput } from "../errors/cli-error.js";
import type { CommandContext } from "../runtime/command-context.js";
import { ExitCode } from "../runtime/exit-code.js";
import { defaultJournalFiles } from "../runtime/journal-file.js";
import { safeField as t } from "../render/safe-field.js";

/** The states `--to` accepts, and the Defender action that reaches each. */
const actions = new Map<string, { action: AlertStateAction; status: string }>([
  ["active", { action: "activate", status: "Active" }],
  ["in-progress", { action: "inProgress", status: "InProgress" }],
  ["resolved", { action: "resolve", status: "Resolved" }],
  ["dismissed", { action: "dismiss", status: "Dismissed" }],
]);

export interface AlertsStateOptions {
  to: string;
  reason?: string;
  dryRun?: boolean;
  journal?: string[];
}

/** One alert's line in the result. */
interface AlertStateRow {
  id: string;
  outcome: "updated" | "unchanged" | "would-change" | "not-found" | "refused" | "failed";
  from?: string;
  to: string;
  message?: string;
}

/**
 * The journals that may record a response to an alert: the ones named with `--journal`, and every journal in the
 * Keywarden directory's `journals/` (where `apply` keeps them by default).
 */
function journalsToCheck(context: CommandContext, named: readonly string[]): string[] {
  return [...named.map((path) => join(context.cwd, path)), ...defaultJournalFiles(context)];
}

/**
 * Alerts a journal records an unfinished response for: a real (not dry-run) plan about the alert with a step that
 * has no decisive outcome, or one that failed or was denied. Dismissing such an alert would hide work in flight.
 */
async function pendingResponses(paths: readonly string[]): Promise<Map<string, string>> {
  const { stepOutcomesFromJournal } = await import("@keywarden/remediation");
  const pending = new Map<string, string>();
  for (const path of paths) {
    let entries: readonly JournalEntry[];
    try {
      entries = await FileJournal.open(path).entries();
    } catch {
      continue;
    }
    for (const planned of entries.filter((entry) => entry.stepId === "" && entry.event === "planned" && entry.dryRun !== true)) {
      const steps = Array.isArray(planned.data?.["steps"]) ? (planned.data["steps"] as { id: string; kind: string }[]) : [];
      const open = stepOutcomesFromJournal(steps, entries, planned.planId).filter((outcome) => outcome.status === "not-run" || outcome.status === "failed" || outcome.status === "denied");
      if (open.length === 0) continue;
      for (const alertId of planned.alertIds ?? []) pending.set(alertId.toLowerCase(), `plan ${planned.planId} in ${path} has ${open.length} unfinished step(s)`);
    }
  }
  return pending;
}

/**
 * `keywarden alerts state <alert>... --to active|in-progress|resolved|dismissed [--reason TEXT] [--dry-run]`: moves
 * alerts to a state, in bulk and idempotently (an alert already there is left alone). Alerts that do not exist are
 * listed and the others proceed (exit 1). `dismissed` needs a reason, and is refused for an alert whose response a
 * journal records as unfinished.
 */
export async function alertsState(context: CommandContext, alertIds: readonly string[], options: AlertsStateOptions): Promise<number> {
  const target = actions.get(options.to);
  if (target === undefined) throw invalidInput(CliErrorCode.Usage, `--to ${options.to} is not a state: use active, in-progress, resolved or dismissed.`);
  const reason = options.reason?.trim();
  if (options.to === "dismissed" && (reason === undefined || reason === "")) {
    throw invalidInput(CliErrorCode.Usage, "Dismissing an alert needs a reason: pass --reason \"<why this alert is not a threat>\".");
  }
  const pending = options.to === "dismissed" ? await pendingResponses(journalsToCheck(context, options.journal ?? [])) : new Map<string, string>();
  const rows = await withEnvironment(context, { persist: options.dryRun !== true }, async (env) => {
    const client = await createAlertsClient(env);
    const result: AlertStateRow[] = [];
    const toChange: string[] = [];
    for (const id of alertIds) {
      let status: string;
      try {
        status = (await client.getAlert(id)).status;
      } catch (error) {
        const code = (error as { status?: unknown; category?: unknown }).category;
        if (code === "not-found" || (error as { status?: unknown }).status === 404) {
          result.push({ id, outcome: "not-found", to: target.status, message: "no such alert" });
          continue;
        }
        throw error;
      }
      const blocked = pending.get(id.toLowerCase());
      if (status === target.status) result.push({ id, outcome: "unchanged", from: status, to: target.status });
      else if (blocked !== undefined) result.push({ id, outcome: "refused", from: status, to: target.status, message: `a response is still pending (${blocked}): finish or roll it back first` });
      else if (options.dryRun === true) result.push({ id, outcome: "would-change", from: status, to: target.status });
      else toChange.push(id);
    }
    if (toChange.length > 0) {
      const changed: AlertStateChangeResult[] = await client.updateAlertState(toChange, target.action);
      for (const change of changed) {
        const ok = change.outcome === "updated" || change.outcome === "skipped";
        result.push({
          id: change.id,
          outcome: ok ? (change.outcome === "skipped" ? "unchanged" : "updated") : "failed",
          ...(change.previousStatus === undefined ? {} : { from: change.previousStatus }),
          to: target.status,
          ...(change.error === undefined ? {} : { message: change.error.message }),
        });
      }
    }
    // In the order given.
    return alertIds.map((id) => result.find((row) => row.id === id)).filter((row): row is AlertStateRow => row !== undefined);
  });
  const problems = rows.filter((row) => row.outcome === "not-found" || row.outcome === "refused" || row.outcome === "failed");
  context.output.result({ to: target.status, dryRun: options.dryRun === true, ...(reason === undefined ? {} : { reason }), alerts: rows }, (c) =>
    [
      ...rows.map((row) => {
        const label =
          row.outcome === "updated" ? c.green("updated") : row.outcome === "unchanged" || row.outcome === "would-change" ? c.cyan(row.outcome) : c.red(row.outcome);
        return `${label.padEnd(12)} ${t(row.id)}${row.from === undefined ? "" : ` ${t(row.from)} → ${t(row.to)}`}${row.message === undefined ? "" : c.dim(` (${t(row.message)})`)}`;
      }),
      `${rows.length - problems.length} of ${rows.length} alert(s) ${options.dryRun === true ? "would be" : "are"} ${target.status}${problems.length === 0 ? "" : `; ${problems.length} not`}.`,
    ].join("\n"),
  );
  return problems.length === 0 ? ExitCode.Success : ExitCode.Failure;
}
