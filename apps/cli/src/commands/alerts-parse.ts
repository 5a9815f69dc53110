import type { AlertChannel } from "@keywarden/alerts";

import { parseAlertsFromJson } from "../input/alert-input.js";
import { readJsonInput } from "../input/read-input.js";
import { renderAlertList } from "../render/alert-summary.js";
import type { CommandContext } from "../runtime/command-context.js";

/** `keywarden alerts parse <file|->`: the normalised alerts (or OCSF findings) of any channel's payload. */
export async function alertsParse(context: CommandContext, file: string, options: { channel?: string; ocsf?: boolean }): Promise<void> {
  const source = file === "-" ? "stdin" : file;
  const json = await readJsonInput(context, file, "alert");
  const alerts = await parseAlertsFromJson(json, source, options.channel as AlertChannel | undefined);
  if (options.ocsf === true) {
    const { toOcsf } = await import("@keywarden/alerts");
    const findings = alerts.map((alert) => toOcsf(alert));
    context.output.result(findings, () => JSON.stringify(findings, null, 2));
    return;
  }
  context.output.result(alerts, (c) => renderAlertList(alerts, c, `${source} holds no alerts.`, context.output.verbose));
}
