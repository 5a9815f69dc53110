import type { KeyVaultAlert } from "@keywarden/alerts";

import { createAlertsClient } from "../environment/alerts-client.js";
import { withEnvironment } from "../environment/open-environment.js";
import { CliErrorCode, invalidInput } from "../errors/cli-error.js";
import { renderAlertList } from "../render/alert-summary.js";
import type { CommandContext } from "../runtime/command-context.js";
import { commandLine } from "../runtime/command-line.js";

/** `keywarden simulate --subscription ID [--location NAME]`: Defender's sample Key Vault alerts (SIMULATED_KV_*). */
export async function simulate(context: CommandContext, options: { location: string }): Promise<void> {
  if (!/^[a-z0-9]+$/i.test(options.location)) {
    throw invalidInput(CliErrorCode.Usage, `--location '${options.location}' is not an Azure location name (for example centralus, westeurope).`);
  }
  const alerts = await withEnvironment(context, { persist: true, requireSubscription: true }, async (env) => {
    const client = await createAlertsClient(env);
    const started = env.now().toISOString();
    for (const subscriptionId of env.subscriptionIds) {
      context.output.note(`Asking Defender for sample Key Vault alerts in subscription ${subscriptionId} (${options.location})...`);
      await client.simulateAlerts({ subscriptionId, location: options.location });
    }
    const found: KeyVaultAlert[] = [];
    for await (const alert of client.listAlerts({ subscriptionIds: [...env.subscriptionIds], includeSimulated: true, since: started })) {
      if (alert.simulated) found.push(alert);
    }
    return found;
  });
  context.output.result(alerts, (c) =>
    renderAlertList(
      alerts,
      c,
      // The hint repeats --sandbox / --subscription: listing elsewhere would not find the samples.
      `Defender accepted the request; sample alerts can take a few minutes to appear: \`${commandLine(context, ["alerts", "list", "--include-simulated"])}\`.`,
    ),
  );
}
