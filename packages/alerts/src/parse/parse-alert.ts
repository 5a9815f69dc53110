import { AlertParseError, alertParseErrorCodes } from "../errors/alert-parse-error.js";
import { type AlertChannel, type KeyVaultAlert } from "../key-vault-alert.js";
import { type AlertDraft, type DraftPaths } from "./alert-draft.js";
import { buildAlert, mayHoldReference } from "./build-alert.js";
import { armPaths, readArmAlert } from "./channels/arm-channel.js";
import { exportPaths, readExportAlert } from "./channels/export-channel.js";
import { legacyArmPaths, legacyArmProperties, readLegacyArmAlert } from "./channels/legacy-arm-channel.js";
import { graphPaths, readGraphAlert } from "./channels/graph-channel.js";
import { logAnalyticsPaths, readLogAnalyticsRow } from "./channels/log-analytics-channel.js";
import { detectChannel } from "./detect-channel.js";
import { isObject, type JsonObject } from "./json-value.js";
import { ParseContext } from "./parse-context.js";

/** Options of {@link parseAlert}. */
export interface ParseAlertOptions {
  /** Skip detection and read the input as this channel's shape. */
  channel?: AlertChannel;
  /**
   * The vault DNS suffix used to derive `vault.vaultUri` (default `vault.azure.net`): `vault.azure.cn`,
   * `vault.usgovcloudapi.net`, ...
   */
  vaultDnsSuffix?: string;
  /**
   * Reject alerts that are not Defender for Key Vault alerts (`KV_*` types) with `KW_ALERTS_E0007`. Off by
   * default: other alerts parse with `kind: "unknown"` and a `KW_ALERTS_W0001` warning. `parseAlerts` skips them.
   */
  keyVaultOnly?: boolean;
}

export const alertChannels: readonly AlertChannel[] = ["arm", "export", "log-analytics", "graph"];

const readers: Record<AlertChannel, { read: (input: JsonObject, ctx: ParseContext) => AlertDraft; paths: DraftPaths }> = {
  arm: { read: readArmAlert, paths: armPaths },
  export: { read: readExportAlert, paths: exportPaths },
  "log-analytics": { read: readLogAnalyticsRow, paths: logAnalyticsPaths },
  graph: { read: readGraphAlert, paths: graphPaths },
};

const legacyArmReader = { read: readLegacyArmAlert, paths: legacyArmPaths };

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Parses JSON text, turning syntax errors into `AlertParseError`. */
export function parseJsonText(input: string, channel: AlertChannel | undefined): unknown {
  try {
    return JSON.parse(input) as unknown;
  } catch (error) {
    throw new AlertParseError(alertParseErrorCodes.invalidJson, `The input is not valid JSON: ${error instanceof Error ? error.message : String(error)}.`, {
      channel,
      path: "$",
      cause: error,
    });
  }
}

export function checkOptions(options: ParseAlertOptions): void {
  if (!isObject(options)) {
    throw new AlertParseError(alertParseErrorCodes.invalidField, "Parse options must be an object.", { path: "options" });
  }
  const channel: unknown = options.channel;
  if (channel !== undefined && !alertChannels.includes(channel as AlertChannel)) {
    throw new AlertParseError(
      alertParseErrorCodes.invalidField,
      `Unknown channel ${JSON.stringify(channel)}; use one of ${alertChannels.join(", ")} or omit it to auto-detect.`,
      { path: "options.channel" },
    );
  }
}

/**
 * Parses one alert object found at `path` in the input. Internal: callers wrap unexpected errors.
 * `referencesPossible: false` when the input was JSON text without `$ref` (entities then need no reference search).
 */
export function parseAlertAt(value: unknown, options: ParseAlertOptions, path: string, referencesPossible = true): KeyVaultAlert {
  if (!isObject(value)) {
    throw new AlertParseError(alertParseErrorCodes.notAnObject, `Expected an alert object, got ${describe(value)}.`, {
      channel: options.channel,
      path,
    });
  }
  const channel = options.channel ?? detectChannel(value);
  if (channel === undefined) {
    const list = Array.isArray(value.value) || Array.isArray(value.tables) || Array.isArray(value.records);
    throw new AlertParseError(
      alertParseErrorCodes.unknownShape,
      list
        ? "This is a list of alerts; use parseAlerts for list responses, arrays and Log Analytics tables."
        : "The object does not look like a Defender alert from ARM, continuous export, Log Analytics or Microsoft Graph (no alertType / alertName / AlertType / SystemAlertId / providerAlertId); pass `channel` if you know its shape.",
      { path },
    );
  }
  const ctx = new ParseContext(channel, path);
  // The legacy ARM shape (alertName, reportedSeverity, state, ...) is the same channel with other field names.
  const reader = channel === "arm" && legacyArmProperties(value) !== undefined ? legacyArmReader : readers[channel];
  const draft = reader.read(value, ctx);
  return buildAlert(draft, reader.paths, ctx, options, referencesPossible);
}

/** The channel named in options, if it is a valid one (options themselves are untrusted). */
export function channelOf(options: unknown): AlertChannel | undefined {
  if (!isObject(options)) return undefined;
  const channel = options.channel;
  return alertChannels.includes(channel as AlertChannel) ? (channel as AlertChannel) : undefined;
}

/** Wraps anything that is not an `AlertParseError` (a throwing getter, a stack overflow) into one. */
export function asParseError(error: unknown, channel: AlertChannel | undefined, path: string): AlertParseError {
  if (error instanceof AlertParseError) return error;
  return new AlertParseError(
    alertParseErrorCodes.unreadableInput,
    `The input could not be read (${error instanceof Error ? error.message : "non-JSON value"}); pass plain JSON data.`,
    { channel, path, cause: error },
  );
}

/**
 * Parses one Defender alert from any channel into a `KeyVaultAlert`.
 *
 * `input` is an alert object (ARM resource, exported alert, Log Analytics `SecurityAlert` row or Graph
 * `alerts_v2` alert) or its JSON text. The channel is detected from the shape unless `options.channel` is given.
 * Real-data oddities are reported in `alert.warnings`; anything that is not an alert throws `AlertParseError`
 * (and nothing else, whatever the input).
 */
export function parseAlert(input: unknown, options: ParseAlertOptions = {}): KeyVaultAlert {
  try {
    checkOptions(options);
    if (typeof input === "string") return parseAlertAt(parseJsonText(input, options.channel), options, "$", mayHoldReference(input));
    return parseAlertAt(input, options, "$");
  } catch (error) {
    throw asParseError(error, channelOf(options), "$");
  }
}
