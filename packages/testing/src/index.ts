export {
  createFakeAzure,
  DEFAULT_LOCATION,
  DEFAULT_RESOURCE_GROUP,
  DEFAULT_SUBSCRIPTION_ID,
  type FakeAzure,
  type FakeAzureOptions,
  type FakeAzureProfile,
  type UnhandledRequestStrategy,
} from "./create-fake-azure.js";
export { createFakeAzureContext, type FakeAzureContext } from "./context.js";
export { loadSeed } from "./seed/load-seed.js";
export { SeedValidationError, type SeedIssue } from "./seed/seed-validation-error.js";
export type * from "./seed/seed-types.js";
export { createFakeClock, DEFAULT_CLOCK_START, type FakeClock, type FakeClockOptions } from "./state/fake-clock.js";
export { createEmptyTenantState, DEFAULT_CALLER_IP, DEFAULT_TENANT_ID } from "./state/tenant-state.js";
export type { TenantState, VaultState, DirectoryState, ManagementGroupState, NetworkSettings, ServiceTagsState } from "./state/tenant-state.js";
export { createVaultState, vaultRecoverableDays, vaultRecoveryLevel } from "./state/vault-state.js";
export type * from "./state/arm-types.js";
export type * from "./state/graph-types.js";
export type * from "./state/data-plane-types.js";
export { DEFAULT_VAULT_DATA_PLANE_SETTINGS } from "./state/data-plane-types.js";
export type * from "./state/log-types.js";
export { CallLog, type CallFilter, type FakeCall } from "./gate/call-log.js";
export { FaultInjector, type ActiveFault, type FaultSpec } from "./gate/faults.js";
export { DEFAULT_THROTTLING, type ThrottlingInput, type ThrottlingOptions, type TokenBucketLimit } from "./gate/throttling.js";
export { DEFAULT_IDENTITY, type FakeIdentity } from "./auth/fake-identity.js";
export { decodeFakeToken, type FakeTokenClaims } from "./auth/fake-token.js";
export * from "./hosts.js";
export { getScenario, listScenarios, SCENARIO_NAMES, type ScenarioInfo, type ScenarioName } from "./scenarios.js";
export { azkvAuditLogRow, azureDiagnosticsRow, type AuditLogCaller, type AuditLogEvent, type AuditLogTarget } from "./diagnostics/audit-log-rows.js";
export { keyVaultOperationName } from "./diagnostics/key-vault-operation-name.js";
export { FakeAzureError, fakeAzureErrorCodes, type FakeAzureErrorCode } from "./errors/fake-azure-error.js";
export { startFakeAzureServer, type FakeAzureServer, type FakeAzureServerOptions } from "./server/fake-azure-server.js";
export { FakeAzureLoopbackAgent } from "./server/loopback-agent.js";
export { forgedOutputProblems, HOSTILE_TEXT, type OutputMedium } from "./hostile/hostile-text.js";
export { replaceStrings } from "./hostile/replace-strings.js";
