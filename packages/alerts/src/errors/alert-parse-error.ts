import { type AlertChannel } from "../key-vault-alert.js";
import { KeywardenError } from "./keywarden-error.js";

/**
 * Stable codes of {@link AlertParseError}. A published code is never reused or renumbered
 * (see docs/error-codes.md).
 */
export const alertParseErrorCodes = {
  /** The input was a string but not valid JSON. */
  invalidJson: "KW_ALERTS_E0001",
  /** The input (or a list element) is not a JSON object. */
  notAnObject: "KW_ALERTS_E0002",
  /** No channel's shape matched the input. */
  unknownShape: "KW_ALERTS_E0003",
  /** A field every alert must have (alert type, alert id) is missing or empty. */
  missingField: "KW_ALERTS_E0004",
  /** A required field has the wrong JSON type. */
  invalidField: "KW_ALERTS_E0005",
  /** A Key Vault alert names no Azure resource at all, so the vault cannot be identified. */
  missingResource: "KW_ALERTS_E0006",
  /** `keyVaultOnly` was set and the alert is not a Defender for Key Vault alert. */
  notKeyVaultAlert: "KW_ALERTS_E0007",
  /** A list input (ARM list, Log Analytics table, array) has an invalid structure. */
  invalidList: "KW_ALERTS_E0008",
  /** An unexpected failure while reading the input (for example a throwing getter); `cause` holds it. */
  unreadableInput: "KW_ALERTS_E0009",
} as const;

export type AlertParseErrorCode = (typeof alertParseErrorCodes)[keyof typeof alertParseErrorCodes];

export interface AlertParseErrorOptions {
  /** The channel whose adapter rejected the input; `undefined` when no channel could be detected. */
  channel?: AlertChannel | undefined;
  /** JSON path of the offending field, e.g. `$.value[2].properties.alertType`. */
  path: string;
  cause?: unknown;
}

/**
 * The only error `parseAlert` / `parseAlerts` throw. `code` says what was wrong, `channel` which input adapter
 * was tried and `path` where in the input the problem is.
 */
export class AlertParseError extends KeywardenError {
  override readonly code: AlertParseErrorCode;
  readonly channel: AlertChannel | undefined;
  readonly path: string;

  constructor(code: AlertParseErrorCode, message: string, options: AlertParseErrorOptions) {
    super(code, message, { cause: options.cause });
    this.name = "AlertParseError";
    this.code = code;
    this.channel = options.channel;
    this.path = options.path;
  }

  static override isInstance(error: unknown): error is AlertParseError {
    return KeywardenError.isInstance(error) && (error as { name?: unknown }).name === "AlertParseError";
  }
}
