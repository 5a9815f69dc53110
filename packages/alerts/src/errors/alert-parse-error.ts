import { type AlertChannel } from "../key-vault-alert.js";
import { categoryOfCode, defineErrorCodes, KeywardenError } from "@keywarden/core";

/**
 * Stable codes of {@link AlertParseError}. A published code is never reused or renumbered
 * (see docs/error-codes.md).
 */
export const alertParseErrorCodes = defineErrorCodes({
  /** The input was a string but not valid JSON. */
  invalidJson: { code: "KW_ALERTS_E0001", category: "invalid-input" },
  /** The input (or a list element) is not a JSON object. */
  notAnObject: { code: "KW_ALERTS_E0002", category: "invalid-input" },
  /** No channel's shape matched the input. */
  unknownShape: { code: "KW_ALERTS_E0003", category: "invalid-input" },
  /** A field every alert must have (alert type, alert id) is missing or empty. */
  missingField: { code: "KW_ALERTS_E0004", category: "invalid-input" },
  /** A required field has the wrong JSON type. */
  invalidField: { code: "KW_ALERTS_E0005", category: "invalid-input" },
  /** A Key Vault alert names no Azure resource at all, so the vault cannot be identified. */
  missingResource: { code: "KW_ALERTS_E0006", category: "invalid-input" },
  /** `keyVaultOnly` was set and the alert is not a Defender for Key Vault alert. */
  notKeyVaultAlert: { code: "KW_ALERTS_E0007", category: "invalid-input" },
  /** A list input (ARM list, Log Analytics table, array) has an invalid structure. */
  invalidList: { code: "KW_ALERTS_E0008", category: "invalid-input" },
  /** An unexpected failure while reading the input (for example a throwing getter); `cause` holds it. */
  unreadableInput: { code: "KW_ALERTS_E0009", category: "invalid-input" },
});

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
  static override readonly marker: string = "keywarden.alerts.parse";
  override readonly code: AlertParseErrorCode;
  readonly channel: AlertChannel | undefined;
  readonly path: string;

  constructor(code: AlertParseErrorCode, message: string, options: AlertParseErrorOptions) {
    super(code, message, { category: categoryOfCode(alertParseErrorCodes, code), cause: options.cause });
    this.code = code;
    this.channel = options.channel;
    this.path = options.path;
  }
}
