import type { Journal, JournalEntry, NewJournalEntry } from "./journal-entry.js";
import type { JournalOptions } from "./file-journal.js";
import { randomJournalKey, sealJournalEntry, verifyJournalChain, type JournalKey } from "./journal-seal.js";

/**
 * A journal held in memory: for tests, dry runs and callers that persist entries themselves. It is always sealed:
 * with `options.key`, or with a random key of its own. `initial` entries are verified against `options.key`; given
 * without a key they cannot be verified, and `verified` is false.
 */
export class InMemoryJournal implements Journal {
  readonly #entries: JournalEntry[] = [];
  readonly #key: JournalKey;
  readonly verified: boolean;

  constructor(initial: readonly JournalEntry[] = [], options: JournalOptions = {}) {
    this.#key = options.key ?? randomJournalKey();
    if (options.key !== undefined) verifyJournalChain(initial, options.key, "<in-memory journal>");
    this.verified = options.key !== undefined || initial.length === 0;
    for (const entry of initial) this.#entries.push(structuredClone(entry));
  }

  append(entry: NewJournalEntry): Promise<JournalEntry> {
    const unsealed: JournalEntry = { ...structuredClone(entry), seq: this.#entries.length + 1 };
    delete unsealed.mac;
    const stored = sealJournalEntry(this.#key, this.#entries.at(-1)?.mac ?? "", unsealed);
    this.#entries.push(stored);
    return Promise.resolve(structuredClone(stored));
  }

  entries(): Promise<JournalEntry[]> {
    return Promise.resolve(this.#entries.map((entry) => structuredClone(entry)));
  }
}
