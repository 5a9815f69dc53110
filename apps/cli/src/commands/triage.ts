import { withEnvironment } from "../environment/open-environment.js";
import { resolveAlert } from "../input/alert-input.js";
import { loadPolicyFile } from "../input/policy-input.js";
import { runTriage } from "../respond/pipeline.js";
import type { CommandContext } from "../runtime/command-context.js";

/** `keywarden triage <alert> [--policy FILE]`: steps 1 and 2, read-only. */
export async function triage(context: CommandContext, alertArgument: string, options: { policy?: string }): Promise<void> {
  const policy = await loadPolicyFile(context, options.policy);
  const report = await withEnvironment(context, {}, async (env) => {
    const alert = await resolveAlert(context, alertArgument, env);
    return runTriage(env, alert, policy);
  });
  const { formatTriageReport } = await import("@keywarden/triage");
  context.output.result(report, () => formatTriageReport(report));
}
