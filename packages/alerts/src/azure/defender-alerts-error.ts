import { KeywardenError } from "../errors/keywarden-error.js";

/** Stable codes of {@link DefenderAlertsError}. */
export const defenderAlertsErrorCodes = {
  /** The string is not a `Microsoft.Security/locations/alerts` ARM id. */
  invalidAlertId: "KW_ALERTS_E0301",
  /** The Alerts API answered with an error (status and ARM error in `cause`). */
  requestFailed: "KW_ALERTS_E0302",
  /** A `listAlerts` argument is invalid (`since`, subscription ids). */
  invalidArgument: "KW_ALERTS_E0303",
  /** Still throttled (HTTP 429) after every retry. */
  throttled: "KW_ALERTS_E0304",
  /** The API returned a body that is not an alert or an alert list. */
  invalidResponse: "KW_ALERTS_E0305",
} as const;

export type DefenderAlertsErrorCode = (typeof defenderAlertsErrorCodes)[keyof typeof defenderAlertsErrorCodes];

/** An error from `DefenderAlertsClient`. `status` is the HTTP status when Azure answered. */
export class DefenderAlertsError extends KeywardenError {
  override readonly code: DefenderAlertsErrorCode;
  readonly status: number | undefined;

  constructor(code: DefenderAlertsErrorCode, message: string, options: { cause?: unknown; status?: number | undefined } = {}) {
    super(code, message, { cause: options.cause });
    this.name = "DefenderAlertsError";
    this.code = code;
    this.status = options.status;
  }
}
