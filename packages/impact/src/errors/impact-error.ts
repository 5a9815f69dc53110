import { categoryOfCode, defineErrorCodes, KeywardenError } from "@keywarden/core";

/**
 * Stable codes of `@keywarden/impact` (see docs/error-codes.md). `E` codes are thrown; `W` codes name a gap in a
 * report (the report still comes back).
 */
export const ImpactErrorCode = defineErrorCodes({
  /** The criteria name no vault. */
  MissingVault: { code: "KW_IMPACT_E0001", category: "invalid-input" },
  /** The criteria window is missing, unparseable, or ends before it starts. */
  InvalidWindow: { code: "KW_IMPACT_E0002", category: "invalid-input" },
  /** A caller value is not a string, or the margins are not finite non-negative numbers. */
  InvalidCriteria: { code: "KW_IMPACT_E0003", category: "invalid-input" },
  /** Neither a workspace id nor a vault resource id (for the diagnostic-settings look-up) was given. */
  NoWorkspace: { code: "KW_IMPACT_E0004", category: "invalid-input" },
  /** The measurement was aborted through its `abortSignal`. */
  Aborted: { code: "KW_IMPACT_E0005", category: "transient" },
  /** The vault's diagnostic settings send no AuditEvent logs to a Log Analytics workspace. */
  AuditLogsNotSent: { code: "KW_IMPACT_W0001" },
  /** A table does not exist in the workspace. */
  TableMissing: { code: "KW_IMPACT_W0002" },
  /** The workspace refused the query (401/403). */
  WorkspaceForbidden: { code: "KW_IMPACT_W0003" },
  /** The service returned a partial result: rows are kept but some may be missing. */
  PartialResult: { code: "KW_IMPACT_W0004" },
  /** The window ends within the ingestion lag: rows may still be arriving. */
  IngestionLag: { code: "KW_IMPACT_W0005" },
  /** A result stayed truncated after the window was split as far as allowed. */
  Truncated: { code: "KW_IMPACT_W0006" },
  /** A query failed for another reason. */
  QueryFailed: { code: "KW_IMPACT_W0007" },
  /** The diagnostic settings could not be read. */
  DiagnosticSettingsUnreadable: { code: "KW_IMPACT_W0008" },
  /** The report is built from the alert alone: no logs were queried. */
  AlertOnly: { code: "KW_IMPACT_W0009" },
  /** The alert lists operations whose objects it does not name. */
  UnattributedOperations: { code: "KW_IMPACT_W0010" },
  /** The census of the vault's other callers failed: `callers` lists the suspicious ones only. */
  CallerCensusFailed: { code: "KW_IMPACT_W0011" },
  /**
   * The alert names only a shared Microsoft client's app id (Azure CLI, PowerShell, the portal): every user of it
   * presents that id, so no activity is attributed until the user (object id or UPN) is given.
   */
  CallerAmbiguous: { code: "KW_IMPACT_W0012" },
});

export type ImpactErrorCode = (typeof ImpactErrorCode)[keyof typeof ImpactErrorCode];

/** Thrown for criteria that cannot be measured (before any query runs) and for aborts. */
export class ImpactError extends KeywardenError {
  static override readonly marker: string = "keywarden.impact";
  override readonly code: ImpactErrorCode;

  constructor(code: ImpactErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { category: categoryOfCode(ImpactErrorCode, code), cause: options.cause });
    this.code = code;
  }
}
