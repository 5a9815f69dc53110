import { defineErrorCodes } from "./define-error-codes.js";

/**
 * Codes of the errors `@keywarden/core` itself throws. The journal codes keep the numbers they were published
 * with in `@keywarden/alerts` (a published code is never renumbered).
 */
export const coreErrorCodes = defineErrorCodes({
  /** A line in the middle of a journal file is not a valid entry. */
  journalCorrupt: { code: "KW_ALERTS_E0101", category: "invalid-input" },
  /** A journal entry's `seq` does not follow the previous one. */
  journalOutOfOrder: { code: "KW_ALERTS_E0102", category: "invalid-input" },
  /** A sealed journal's chain does not verify: a line was edited, inserted, removed or reordered, or was sealed with another key. */
  journalTampered: { code: "KW_CORE_E0030", category: "invalid-input" },
  /** The journal file changed under this process: another process appended to it (one writer at a time). */
  journalConcurrentWrite: { code: "KW_CORE_E0031", category: "conflict" },
  /** A journal file or its directory could not be created, read or written (permissions, a path that is a directory or runs through a file). */
  journalUnavailable: { code: "KW_CORE_E0032", category: "invalid-input" },
  /** A core helper was given a value it cannot use (a timeout that is not positive, a time that is not one, a clock moved backwards). */
  invalidArgument: { code: "KW_CORE_E0040", category: "invalid-input" },
  /** One attempt of a request took longer than its `requestTimeoutInMs`. */
  requestTimeout: { code: "KW_CORE_E0001", category: "transient" },
  /** Still throttled (HTTP 429) after every retry. */
  throttled: { code: "KW_CORE_E0002", category: "transient" },
  /** A lock (journal writer, vault) is held by someone else and waiting was not allowed or timed out. */
  lockHeld: { code: "KW_CORE_E0010", category: "conflict" },
  /** A lock could not be created or read (permissions, a path that is not a directory). */
  lockUnavailable: { code: "KW_CORE_E0011", category: "internal" },
  /** A lock was released by someone who no longer held it (it expired or was broken). */
  lockLost: { code: "KW_CORE_E0012", category: "conflict" },
  /** A request was sent to a host the client was not built for (a token must never leave its audience). */
  unexpectedHost: { code: "KW_CORE_E0020", category: "invalid-input" },
  /** An Azure service answered with an error; `status` and `cause` hold its answer. */
  requestFailed: { code: "KW_CORE_E0021", category: "service" },
});

export type CoreErrorCode = (typeof coreErrorCodes)[keyof typeof coreErrorCodes];
