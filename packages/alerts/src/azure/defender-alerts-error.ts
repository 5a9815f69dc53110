import { categoryFromStatus, categoryOfCode, defineErrorCodes, KeywardenError } from "@keywarden/core";

/** Stable codes of {@link DefenderAlertsError}. */
export const defenderAlertsErrorCodes = defineErrorCodes({
  /** The string is not a `Microsoft.Security/locations/alerts` ARM id. */
  invalidAlertId: { code: "KW_ALERTS_E0301", category: "invalid-input" },
  /** The Alerts API answered with an error (status and ARM error in `cause`). */
  requestFailed: { code: "KW_ALERTS_E0302", category: "service" },
  /** A `listAlerts` argument is invalid (`since`, subscription ids). */
  invalidArgument: { code: "KW_ALERTS_E0303", category: "invalid-input" },
  /** Still throttled (HTTP 429) after every retry. */
  throttled: { code: "KW_ALERTS_E0304", category: "transient" },
  /** The API returned a body that is not an alert or an alert list. */
  invalidResponse: { code: "KW_ALERTS_E0305", category: "service" },
});

export type DefenderAlertsErrorCode = (typeof defenderAlertsErrorCodes)[keyof typeof defenderAlertsErrorCodes];

/** An error from `DefenderAlertsClient`. `status` is the HTTP status when Azure answered. */
export class DefenderAlertsError extends KeywardenError {
  static override readonly marker: string = "keywarden.alerts.defender";
  override readonly code: DefenderAlertsErrorCode;
  readonly status: number | undefined;
  /** The wait Azure asked for (Retry-After) when it throttled the request, in ms. */
  readonly retryAfterInMs?: number;

  constructor(code: DefenderAlertsErrorCode, message: string, options: { cause?: unknown; status?: number | undefined; retryAfterInMs?: number | undefined } = {}) {
    // A failed request is as transient, forbidden or missing as Azure's answer says; other codes have one category.
    const category = code === defenderAlertsErrorCodes.requestFailed ? categoryFromStatus(options.status) : categoryOfCode(defenderAlertsErrorCodes, code);
    super(code, message, { category, cause: options.cause });
    this.code = code;
    this.status = options.status;
    if (options.retryAfterInMs !== undefined) this.retryAfterInMs = options.retryAfterInMs;
  }
}
