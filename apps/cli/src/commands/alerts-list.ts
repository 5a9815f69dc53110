import type { KeyVaultAlert, KeyVaultAlertKind } from "@keywarden/alerts";

import { createAlertsClient } from "../environment/alerts-client.js";
import { CliErrorCode, invalidInput } from "../errors/cli-error.js";
import { withEnvironment } from "../environment/open-environment.js";
import { renderAlertList } from "../render/alert-summary.js";
import type { CommandContext } from "../runtime/command-context.js";
import { startProgress } from "../runtime/progress.js";

/** `keywarden alerts list`: Key Vault alerts over every given subscription, newest first. */
export async function alertsList(context: CommandContext, options: { since?: string; includeSimulated?: boolean; kind: string[] }): Promise<void> {
  if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) {
    throw invalidInput(CliErrorCode.Usage, `--since '${options.since}' is not an ISO 8601 time (for example 2026-01-15T00:00:00Z).`);
  }
  const alerts = await withEnvironment(context, { requireSubscription: true }, async (env) => {
    const client = await createAlertsClient(env);
    const progress = await startProgress(context.output, `Listing alerts in ${env.subscriptionIds.length} subscription(s)`);
    const found: KeyVaultAlert[] = [];
    try {
      const pages = client
        .listAlerts({
          subscriptionIds: [...env.subscriptionIds],
          ...(options.since === undefined ? {} : { since: options.since }),
          ...(options.kind.length === 0 ? {} : { kinds: options.kind as KeyVaultAlertKind[] }),
          includeSimulated: options.includeSimulated === true,
        })
        .byPage();
      for await (const page of pages) {
        found.push(...page);
        progress.update(found.length, undefined, "alerts found");
      }
    } finally {
      progress.stop();
    }
    if (found.length === 0 && env.mode === "live") {
      context.output.note(
        "No Key Vault alerts. If you expected some: check that Microsoft Defender for Key Vault is enabled on these subscriptions (Defender for Cloud > Environment settings), or try `keywarden simulate`.",
      );
    }
    return found;
  });
  alerts.sort((a, b) => (b.generatedTime ?? b.startTime ?? "").localeCompare(a.generatedTime ?? a.startTime ?? ""));
  context.output.result(alerts, (c) => renderAlertList(alerts, c, "No Key Vault alerts.", context.output.verbose));
}
