import { KeywardenError, type KeywardenErrorOptions } from "@keywarden/alerts";

/**
 * Stable codes of `@keywarden/impact` (see docs/error-codes.md). `E` codes are thrown; `W` codes name a gap in a
 * report (the report still comes back).
 */
export const ImpactErrorCode = {
  /** The criteria name no vault. */
  MissingVault: "KW_IMPACT_E0001",
  /** The criteria window is missing, unparseable, or ends before it starts. */
  InvalidWindow: "KW_IMPACT_E0002",
  /** A caller value is not a string, or the margins are not finite non-negative numbers. */
  InvalidCriteria: "KW_IMPACT_E0003",
  /** Neither a workspace id nor a vault resource id (for the diagnostic-settings look-up) was given. */
  NoWorkspace: "KW_IMPACT_E0004",
  /** The measurement was aborted through its `abortSignal`. */
  Aborted: "KW_IMPACT_E0005",
  /** The vault's diagnostic settings send no AuditEvent logs to a Log Analytics workspace. */
  AuditLogsNotSent: "KW_IMPACT_W0001",
  /** A table does not exist in the workspace. */
  TableMissing: "KW_IMPACT_W0002",
  /** The workspace refused the query (401/403). */
  WorkspaceForbidden: "KW_IMPACT_W0003",
  /** The service returned a partial result: rows are kept but some may be missing. */
  PartialResult: "KW_IMPACT_W0004",
  /** The window ends within the ingestion lag: rows may still be arriving. */
  IngestionLag: "KW_IMPACT_W0005",
  /** A result stayed truncated after the window was split as far as allowed. */
  Truncated: "KW_IMPACT_W0006",
  /** A query failed for another reason. */
  QueryFailed: "KW_IMPACT_W0007",
  /** The diagnostic settings could not be read. */
  DiagnosticSettingsUnreadable: "KW_IMPACT_W0008",
  /** The report is built from the alert alone: no logs were queried. */
  AlertOnly: "KW_IMPACT_W0009",
  /** The alert lists operations whose objects it does not name. */
  UnattributedOperations: "KW_IMPACT_W0010",
  /** The census of the vault's other callers failed: `callers` lists the suspicious ones only. */
  CallerCensusFailed: "KW_IMPACT_W0011",
} as const;

export type ImpactErrorCode = (typeof ImpactErrorCode)[keyof typeof ImpactErrorCode];

/** Thrown for criteria that cannot be measured (before any query runs) and for aborts. */
export class ImpactError extends KeywardenError {
  constructor(code: ImpactErrorCode, message: string, options: KeywardenErrorOptions = {}) {
    super(code, message, options);
    this.name = "ImpactError";
  }
}
