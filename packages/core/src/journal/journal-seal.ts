import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { coreErrorCodes } from "../errors/core-error-codes.js";
import type { JournalEntry } from "./journal-entry.js";
import { JournalCorruptError } from "./journal-error.js";

/**
 * The key that seals a journal: HMAC-SHA256 over a chain. Each entry's `mac` covers the previous entry's `mac` and the
 * entry's own canonical content, so editing, inserting, removing or reordering any line breaks every later MAC.
 * Bytes, or a string (used as UTF-8). Keep it out of the journal's directory.
 */
export type JournalKey = string | Uint8Array;

/** A fresh random key, for journals that live only as long as this process (in-memory ones). */
export function randomJournalKey(): Uint8Array {
  return randomBytes(32);
}

/** JSON with object keys sorted at every level, so equal content always gives equal bytes. */
export function canonicalJournalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJournalJson(item === undefined ? null : item)).join(",")}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJournalJson(record[key])}`).join(",")}}`;
}

/** The MAC of `entry` (its `mac` field excluded) chained to `previousMac` (`""` for the first entry). */
export function journalEntryMac(key: JournalKey, previousMac: string, entry: JournalEntry): string {
  const { mac: _mac, ...content } = entry;
  return createHmac("sha256", key).update(previousMac).update("\n").update(canonicalJournalJson(content)).digest("base64url");
}

/** Returns `entry` with its chained `mac` set. */
export function sealJournalEntry(key: JournalKey, previousMac: string, entry: JournalEntry): JournalEntry {
  return { ...entry, mac: journalEntryMac(key, previousMac, entry) };
}

/**
 * Checks the whole chain and throws `JournalCorruptError` (`KW_CORE_E0030`) naming the first line that does not
 * verify. `lineOf(index)` maps an entry's index to its line in the file (blank lines are skipped there).
 */
export function verifyJournalChain(entries: readonly JournalEntry[], key: JournalKey, path = "<journal>", lineOf: (index: number) => number = (index) => index + 1): void {
  let previous = "";
  for (const [index, entry] of entries.entries()) {
    const line = lineOf(index);
    if (typeof entry.mac !== "string" || entry.mac === "") {
      throw new JournalCorruptError(
        coreErrorCodes.journalTampered,
        path,
        line,
        `Journal ${path} line ${line} carries no MAC although the journal is sealed: it was added by hand or by a writer without the key. Restore the journal from a backup; never edit it.`,
      );
    }
    const expected = journalEntryMac(key, previous, entry);
    if (!sameMac(expected, entry.mac)) {
      throw new JournalCorruptError(
        coreErrorCodes.journalTampered,
        path,
        line,
        `Journal ${path} line ${line} does not verify: it (or a line before it) was edited, inserted, removed or reordered, or it was sealed with another key. Restore the journal from a backup; never edit it.`,
      );
    }
    previous = entry.mac;
  }
}

function sameMac(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
