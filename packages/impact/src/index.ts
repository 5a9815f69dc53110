export type {
  DiagnosticSettingsCoverage,
  ImpactAccess,
  ImpactAlertRef,
  ImpactCaller,
  ImpactCallerPath,
  ImpactCoverage,
  ImpactEvidenceSource,
  ImpactGap,
  ImpactObject,
  ImpactObjectType,
  ImpactOperation,
  ImpactReport,
  ImpactRotation,
  ImpactTable,
  ImpactTableCoverage,
  ImpactUnattributedOperation,
  ImpactVaultChange,
  RotationReasonCode,
  TableCoverageStatus,
  VaultChangeKind,
} from "./impact-report.js";
export { defaultImpactMargins, type ImpactCriteria } from "./impact-criteria.js";
export { buildImpactQueries, callerCensusColumns, impactSummaryColumns, type ImpactQuery } from "./build-impact-queries.js";
export { criteriaFromAlert, type CriteriaFromAlertOptions } from "./criteria-from-alert.js";
export { impactFromAlert, type ImpactFromAlertOptions } from "./impact-from-alert.js";
export { ImpactError, ImpactErrorCode } from "./errors/impact-error.js";
export { kqlDatetime, kqlString, kqlStringList } from "./kql/kql-literals.js";
export { classifyOperation, type OperationEffect, type OperationInfo } from "./operations.js";
export { parseObjectUri, type ObjectRef } from "./object-uri.js";
export { measureImpact, measureImpactForCriteria, type MeasureImpactOptions } from "./measure-impact.js";
export {
  assessDiagnosticSettings,
  monitorDiagnosticSettingsReader,
  type DiagnosticSettingLike,
  type DiagnosticSettingsReader,
} from "./azure/diagnostic-settings.js";
export {
  logsQueryClientQuerier,
  type ImpactLogsQuerier,
  type LogsQueryOutcome,
  type WorkspaceTarget,
} from "./azure/logs-querier.js";
export type { SummaryTableLike } from "./read-summary-table.js";
export { formatImpactReport } from "./format-impact-report.js";
// The package's logger (Azure SDK convention): `AZURE_LOG_LEVEL=info` shows each Log Analytics query, `verbose`
// each attribution decision; `logger.verbose.log = ...` sends the lines elsewhere.
export { logger } from "./log.js";
