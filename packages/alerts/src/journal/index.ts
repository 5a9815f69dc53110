export { FileJournal, parseJournalText } from "./file-journal.js";
export { InMemoryJournal } from "./in-memory-journal.js";
export type { Journal, JournalEntry, JournalError, JournalEvent, NewJournalEntry } from "./journal-entry.js";
export { JournalCorruptError, JournalErrorCode } from "./journal-error.js";
