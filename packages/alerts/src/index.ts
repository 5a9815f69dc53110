export { KeywardenError, type KeywardenErrorOptions } from "./errors/keywarden-error.js";
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
  FileJournal,
  InMemoryJournal,
  JournalCorruptError,
  JournalErrorCode,
  parseJournalText,
  type Journal,
  type JournalEntry,
  type JournalError,
  type JournalEvent,
  type NewJournalEntry,
} from "./journal/index.js";
