import type { Journal, JournalEntry, NewJournalEntry } from "./journal-entry.js";

/** A journal held in memory: for tests, dry runs and callers that persist entries themselves. */
export class InMemoryJournal implements Journal {
  readonly #entries: JournalEntry[] = [];

  constructor(initial: readonly JournalEntry[] = []) {
    for (const entry of initial) this.#entries.push(structuredClone(entry));
  }

  append(entry: NewJournalEntry): Promise<JournalEntry> {
    const stored: JournalEntry = { ...structuredClone(entry), seq: this.#entries.length + 1 };
    this.#entries.push(stored);
    return Promise.resolve(structuredClone(stored));
  }

  entries(): Promise<JournalEntry[]> {
    return Promise.resolve(this.#entries.map((entry) => structuredClone(entry)));
  }
}
