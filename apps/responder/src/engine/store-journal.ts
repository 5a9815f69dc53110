import type { Journal, JournalEntry } from "@keywarden/core";

import type { ResponderStore } from "../store/store-types.js";

/**
 * The engine's journal over the store: one journal per incident (its plan and any rollback plan), durable when
 * `append` resolves; `onEntry` sees each entry after it is stored (step statuses, metrics).
 */
export function storeJournal(store: ResponderStore, incidentId: string, onEntry?: (entry: JournalEntry) => Promise<void> | void): Journal {
  return {
    async append(entry) {
      const stored = await store.appendJournal(incidentId, entry);
      await onEntry?.(stored);
      return stored;
    },
    entries: () => store.journal(incidentId),
  };
}
