export { KeywardenError, type KeywardenErrorOptions } from "./errors/keywarden-error.js";
export { categoryFromStatus, errorCategories, type ErrorCategory } from "./errors/error-category.js";
export { categoryOfCode, defineErrorCodes, listErrorCodes, type ErrorCodeDefinition, type ErrorCodes } from "./errors/define-error-codes.js";
export { CoreError, RequestTimeoutError } from "./errors/core-error.js";
export { coreErrorCodes, type CoreErrorCode } from "./errors/core-error-codes.js";

export { isoNow, systemClock, type Clock } from "./time/clock.js";
export { terminalSafe, terminalSafeLines } from "./text/terminal-text.js";
export { createManualClock, type ManualClock } from "./time/manual-clock.js";
export { throwIfAborted } from "./time/throw-if-aborted.js";

export { retryAfterMs, retryAfterMsOf, type HeaderLookup } from "./transport/retry-after.js";
export { isNotFound, serviceCodeOf, statusOf } from "./transport/status-of.js";
export { classifyTransient, type TransientFailure } from "./transport/classify-transient.js";
export { retryOnThrottle, type RetryOnThrottleOptions } from "./transport/retry-on-throttle.js";
export { throttleRetryPolicy, throttleRetryPolicyName, type ThrottleRetryPolicyOptions } from "./transport/throttle-retry-policy.js";
export {
  keywardenUserAgentPrefix,
  withKeywardenUserAgent,
  type CommonClientOptions,
  type KeywardenClientOptions,
  type OperationOptions,
} from "./transport/client-options.js";
export { requestTimeoutPolicy, requestTimeoutPolicyName } from "./transport/request-timeout-policy.js";
export { JsonClient, type JsonClientIdentity, type JsonRequestOptions } from "./transport/json-client.js";

export {
  mapPaged,
  pagedFromArray,
  pagedIterator,
  type ContinuablePage,
  type FetchedPage,
  type KeywardenPagedIterator,
  type PagedSource,
  type PagedAsyncIterableIterator,
  type PageSettings,
} from "./paging/paged-iterator.js";

export {
  classifyAddress,
  maskNetwork,
  parseAddress,
  parseRange,
  rangeContains,
  type AddressClassification,
  type ParsedAddress,
  type ParsedRange,
} from "./network/ip-address.js";
export { cidrContains, consolidateCidrs, formatIpv4Cidr, isIpv6, parseIpv4Cidr, type Ipv4Cidr } from "./network/ipv4-cidr.js";

export type {
  AccessPolicyEntry,
  AlertTarget,
  KeyVaultObjectType,
  ObjectTarget,
  PermissionSet,
  PrincipalTarget,
  PrincipalType,
  VaultAuthorization,
  VaultTarget,
} from "./targets/targets.js";

export { FileJournal, parseJournalText, type JournalOptions } from "./journal/file-journal.js";
export {
  canonicalJournalJson,
  journalEntryMac,
  randomJournalKey,
  sealJournalEntry,
  verifyJournalChain,
  type JournalKey,
} from "./journal/journal-seal.js";
export { InMemoryJournal } from "./journal/in-memory-journal.js";
export type { Journal, JournalEntry, JournalError, JournalEvent, NewJournalEntry } from "./journal/journal-entry.js";
export { JournalCorruptError } from "./journal/journal-error.js";

export { journalLockName, vaultLockName, withLock, type AcquireLockOptions, type LockHandle, type LockHolder, type LockProvider } from "./locks/lock.js";
export { describeHolder } from "./locks/describe-holder.js";
export { FileLockProvider, type FileLockProviderOptions } from "./locks/file-lock-provider.js";
export { InMemoryLockProvider } from "./locks/in-memory-lock-provider.js";

export {
  classifyKeyVaultOperation,
  exposesKeyVaultValue,
  KEY_VAULT_OPERATION_SOURCES,
  listKeyVaultOperations,
  type KeyVaultOperation,
  type OperationExposure,
  type OperationObjectType,
} from "./operations/key-vault-operations.js";
export { isSharedClientApp, sharedClientAppName } from "./identity/shared-client-apps.js";

// Output media for text from outside (alerts, tenants): Markdown and HTML, next to terminalSafe.
export { htmlSafe } from "./text/html-text.js";
export { markdownCode, markdownSafe } from "./text/markdown-text.js";
