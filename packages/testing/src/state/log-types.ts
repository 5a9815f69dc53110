/** Log Analytics workspace contents: tables of rows keyed by column name, as the query API returns them. */

/** Column types of the Log Analytics query API (`columnDataTypeHint`). */
export type LogColumnType = "bool" | "datetime" | "dynamic" | "int" | "long" | "real" | "string" | "guid" | "decimal" | "timespan";

export interface LogColumn {
  name: string;
  type: LogColumnType;
}

/** One row: column name to value. `datetime` values are ISO 8601 strings, `dynamic` values are JSON values. */
export type LogRow = Record<string, unknown>;

export interface LogTable {
  name: string;
  /** Declared schema. When absent, the evaluator infers columns from the rows. */
  columns?: LogColumn[];
  rows: LogRow[];
}

/** A request the next query(ies) should fail or partially fail with (set by tests through `state`). */
export interface LogQueryFailure {
  /** `partial`: 200 with rows plus an `error` (PartialError); `error`: a plain error status. */
  kind: "partial" | "error";
  status?: number;
  code?: string;
  message?: string;
  /** How many queries it applies to; absent means every query. */
  times?: number;
}

export interface WorkspaceState {
  /** The ARM resource; `properties.customerId` is the id the query API uses. */
  resource: { id: string; name: string; location?: string; properties: { customerId: string; [key: string]: unknown } };
  /** Tables keyed by table name, case-sensitively like KQL (`AZKVAuditLogs`, `AzureDiagnostics`). */
  tables: Map<string, LogTable>;
  /** Failures to inject into the next queries against this workspace. */
  failures: LogQueryFailure[];
}
