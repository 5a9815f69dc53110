export {
  AlertParseError,
  alertParseErrorCodes,
  type AlertParseErrorCode,
  type AlertParseErrorOptions,
} from "./errors/alert-parse-error.js";
export type {
  AlertChannel,
  AlertEntity,
  AlertOperations,
  AlertSeverity,
  AlertSource,
  AlertStatus,
  AlertVault,
  AlertWarning,
  KeyVaultAlert,
  KeyVaultAlertKind,
  OperationCount,
} from "./key-vault-alert.js";

export {
  alertCatalog,
  classifyAlertType,
  getAlertTypeInfo,
  simulatedAlertPrefix,
  type AlertEvidence,
  type AlertTypeClassification,
  type AlertTypeInfo,
  type MitreTactic,
} from "./catalog/alert-catalog.js";

export { parseAlert, alertChannels, type ParseAlertOptions } from "./parse/parse-alert.js";
export { parseAlerts, parseAlertsSettled, type ParseAlertsOptions, type ParseAlertsResult } from "./parse/parse-alerts.js";
export { detectChannel } from "./parse/detect-channel.js";
export { alertWarningCodes, type AlertWarningCode } from "./parse/parse-context.js";
export { parseAlertReasons } from "./parse/build-alert.js";

export { getExtendedProperty, normalizePropertyKey } from "./helpers/extended-property.js";
export { parseOperationCounts } from "./helpers/operation-counts.js";
export { isGuid, isKeyVaultResourceId, parseResourceId, resourceIdEquals, type ParsedResourceId } from "./helpers/resource-id.js";
export { parseUsDateTime } from "./helpers/us-date-time.js";
export { isValidVaultName, publicCloudVaultSuffix, vaultUriFromName, type VaultUriOptions } from "./helpers/vault-uri.js";


export {
  ocsfSchemaVersion,
  toOcsf,
  type OcsfAttack,
  type OcsfDetectionFinding,
  type OcsfEvidence,
  type OcsfObservable,
} from "./ocsf/to-ocsf.js";

export { DefenderAlertsClient, type DefenderAlertsClientOptions } from "./azure/defender-alerts-client.js";
export { logger } from "./log.js";
// Core's per-call options (abort, tracing, request options), re-exported because every DefenderAlertsApi method takes them.
export type { OperationOptions } from "@keywarden/core";
export { InMemoryDefenderAlerts } from "./azure/in-memory-defender-alerts.js";
export {
  statusAfterAction,
  type AlertReference,
  type AlertStateAction,
  type AlertStateChangeOutcome,
  type AlertStateChangeResult,
  type DefenderAlertsApi,
  type ListAlertsQuery,
  type SimulateAlertsRequest,
  type UpdateAlertStateOptions,
} from "./azure/defender-alerts-api.js";
export { DefenderAlertsError, defenderAlertsErrorCodes, type DefenderAlertsErrorCode } from "./azure/defender-alerts-error.js";
export { parseAlertId, type ParsedAlertId } from "./azure/alert-id.js";
