import type { AlertChannel, KeyVaultAlert } from "@keywarden/alerts";

import { createAlertsClient } from "../environment/alerts-client.js";
import { CliError, CliErrorCode, invalidInput } from "../errors/cli-error.js";
import type { AzureEnvironment } from "../environment/azure-environment.js";
import type { CommandContext } from "../runtime/command-context.js";
import { commandLine } from "../runtime/command-line.js";
import { readJsonInput } from "./read-input.js";
import { safeField as t } from "../render/safe-field.js";

/**
 * Normalises every alert in a parsed JSON document. Anything that is not an alert is invalid input (exit 2) with
 * the parser's reason and the JSON path of the offending field on one line.
 */
export async function parseAlertsFromJson(json: unknown, source: string, channel?: AlertChannel): Promise<KeyVaultAlert[]> {
  const { parseAlerts, AlertParseError } = await import("@keywarden/alerts");
  const options = channel === undefined ? {} : { channel };
  try {
    // One alert, an array, an ARM or Graph list, an Event Hubs batch or a Log Analytics result.
    return parseAlerts(json, options);
  } catch (error) {
    if (AlertParseError.isInstance(error)) {
      const at = error.path === "$" || error.path === "" ? "" : ` (at ${error.path})`;
      throw invalidInput(CliErrorCode.NotAnAlert, `${source} is not a Defender for Key Vault alert: ${error.message}${at}`, error);
    }
    throw error;
  }
}

/** True when the argument looks like an alert's ARM resource id rather than a file name. */
export function isAlertResourceId(argument: string): boolean {
  return /^\/subscriptions\/[^/]+\/(resourceGroups\/[^/]+\/)?providers\/Microsoft\.Security\/locations\/[^/]+\/alerts\/[^/]+$/i.test(argument);
}

/**
 * The one alert a command works on: `<alert>` is an alert resource id (read from Defender), a JSON file, or `-`
 * (stdin). A file with several alerts is refused: say which one with `alerts parse` and a resource id.
 */
export async function resolveAlert(context: CommandContext, argument: string, env: AzureEnvironment): Promise<KeyVaultAlert> {
  if (isAlertResourceId(argument)) {
    const client = await createAlertsClient(env);
    try {
      return await client.getAlert(argument);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404 || (error as { cause?: { statusCode?: number } }).cause?.statusCode === 404) {
        throw new CliError(CliErrorCode.AlertNotFound, `No alert ${t(argument)} in ${env.mode === "sandbox" ? "the sandbox tenant" : "Defender for Cloud"}.`, { cause: error,
        });
      }
      throw error;
    }
  }
  const source = argument === "-" ? "stdin" : argument;
  const json = await readJsonInput(context, argument, "alert");
  const alerts = await parseAlertsFromJson(json, source);
  const [first] = alerts;
  if (first === undefined) throw invalidInput(CliErrorCode.NotAnAlert, `${source} holds no alert.`);
  if (alerts.length > 1) {
    throw invalidInput(
      CliErrorCode.NotAnAlert,
      `${source} holds ${alerts.length} alerts; pass one (list their ids with \`${commandLine(context, ["alerts", "parse", argument], { sandbox: false })}\`).`,
    );
  }
  return first;
}
