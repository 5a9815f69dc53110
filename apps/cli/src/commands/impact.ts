import type { ImpactReport } from "@keywarden/impact";

import { withEnvironment } from "../environment/open-environment.js";
import { resolveAlert } from "../input/alert-input.js";
import { runImpact } from "../respond/pipeline.js";
import type { CommandContext } from "../runtime/command-context.js";
import type { Output } from "../runtime/output.js";

/** Says plainly when the vault's logs could not be used, and what to do about it. */
export function warnAboutLogCoverage(output: Output, report: ImpactReport): void {
  const settings = report.coverage.diagnosticSettings;
  if (settings?.auditEventToWorkspace === false) {
    output.warn(
      `Vault ${report.vault.name} does not send AuditEvent logs to a Log Analytics workspace: the impact comes from the alert alone. ` +
        "Enable a diagnostic setting (category AuditEvent or the audit group) to a workspace, or pass --workspace.",
    );
  } else if (report.coverage.status !== "complete") {
    for (const gap of report.gaps) output.warn(gap.message);
  }
}

/** `keywarden impact <alert> [--workspace ID]`: step 3, read-only. */
export async function impact(context: CommandContext, alertArgument: string, options: { workspace?: string }): Promise<void> {
  const report = await withEnvironment(context, {}, async (env) => {
    const alert = await resolveAlert(context, alertArgument, env);
    return runImpact(env, alert, options.workspace);
  });
  warnAboutLogCoverage(context.output, report);
  const { formatImpactReport } = await import("@keywarden/impact");
  context.output.result(report, () => formatImpactReport(report));
}
