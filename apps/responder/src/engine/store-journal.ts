import { sealJournalEntry, type Journal, type JournalEntry, type JournalKey } from "@keywarden/core";

import type { ResponderStore } from "../store/store-types.js";

/**
 * The engine's journal over the store: one journal per incident (its plan and any rollback plan), durable when
 * `append` resolves; `onEntry` sees each entry after it is stored (step statuses, metrics).
 *
 * Entries are sealed with `key` (each MAC chains the previous one, as a sealed `FileJournal`), so a row edited in
 * the database cannot make rollback "restore" forged state: rollback verifies the chain with the same key. One
 * writer per incident holds (the worker's incident lease), so the next `seq` is the last stored one plus one.
 */
export function storeJournal(store: ResponderStore, incidentId: string, key: JournalKey, onEntry?: (entry: JournalEntry) => Promise<void> | void): Journal {
  return {
    async append(entry) {
      const last = (await store.journal(incidentId)).at(-1);
      const unsealed: JournalEntry = { ...structuredClone(entry), seq: (last?.seq ?? 0) + 1 };
      delete unsealed.mac;
      const stored = await store.appendJournal(incidentId, sealJournalEntry(key, last?.mac ?? "", unsealed));
      await onEntry?.(stored);
      return stored;
    },
    entries: () => store.journal(incidentId),
  };
}
