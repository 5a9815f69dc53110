import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { Journal, JournalEntry, NewJournalEntry } from "./journal-entry.js";
import { coreErrorCodes } from "../errors/core-error-codes.js";
import { JournalCorruptError } from "./journal-error.js";

/**
 * A durable journal: one JSON object per line, appended and fsync'ed before `append` resolves, so a crash never
 * loses an entry that was reported as written.
 *
 * Opening an existing file reads it back (that is how an interrupted apply resumes and how rollback finds what was
 * changed). A torn last line — the process died mid-write — is dropped and reported in `recoveredTornLine`; any
 * other invalid line means the file was edited or is not a journal, and opening fails rather than guessing.
 */
export class FileJournal implements Journal {
  readonly path: string;
  /** `true` when the file ended with an incomplete line from an interrupted write, which was discarded. */
  readonly recoveredTornLine: boolean;
  readonly #entries: JournalEntry[];
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, entries: JournalEntry[], recoveredTornLine: boolean) {
    this.path = path;
    this.#entries = entries;
    this.recoveredTornLine = recoveredTornLine;
  }

  /** Opens (or creates) the journal at `path`. */
  static open(path: string): FileJournal {
    mkdirSync(dirname(path), { recursive: true });
    let text = "";
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const { entries, tornLine } = parseJournalText(text, path);
    if (tornLine) {
      // Rewrite without the torn tail so the next append starts on a fresh line.
      const fd = openSync(path, "w");
      try {
        for (const entry of entries) writeSync(fd, `${JSON.stringify(entry)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    return new FileJournal(path, entries, tornLine);
  }

  append(entry: NewJournalEntry): Promise<JournalEntry> {
    // Appends are serialised so `seq` and line order always agree, even with concurrent callers.
    const result = this.#queue.then(() => {
      const stored: JournalEntry = { ...structuredClone(entry), seq: this.#entries.length + 1 };
      const fd = openSync(this.path, "a");
      try {
        writeSync(fd, `${JSON.stringify(stored)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      this.#entries.push(stored);
      return structuredClone(stored);
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }

  entries(): Promise<JournalEntry[]> {
    return this.#queue.then(() => this.#entries.map((entry) => structuredClone(entry)));
  }
}

/** Parses JSON Lines journal text. Exported for tools that read journals without opening them for writing. */
export function parseJournalText(text: string, path = "<journal>"): { entries: JournalEntry[]; tornLine: boolean } {
  const lines = text.split("\n");
  const endsWithNewline = text.endsWith("\n");
  if (endsWithNewline) lines.pop();
  const entries: JournalEntry[] = [];
  let tornLine = false;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const isLast = index === lines.length - 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      if (isLast && !endsWithNewline) {
        tornLine = true;
        break;
      }
      throw new JournalCorruptError(
        coreErrorCodes.journalCorrupt,
        path,
        index + 1,
        `Journal ${path} line ${index + 1} is not valid JSON. The file was edited or is not a Keywarden journal; restore it from a backup rather than editing it.`,
        { cause: error },
      );
    }
    if (!isJournalEntry(value)) {
      throw new JournalCorruptError(
        coreErrorCodes.journalCorrupt,
        path,
        index + 1,
        `Journal ${path} line ${index + 1} is not a journal entry (it needs seq, time, planId, stepId, kind, event, code and message).`,
      );
    }
    if (value.seq !== entries.length + 1) {
      throw new JournalCorruptError(
        coreErrorCodes.journalOutOfOrder,
        path,
        index + 1,
        `Journal ${path} line ${index + 1} has seq ${value.seq}, expected ${entries.length + 1}: entries were removed or reordered.`,
      );
    }
    entries.push(value);
  }
  return { entries, tornLine };
}

const events = new Set(["planned", "approved", "denied", "started", "succeeded", "failed", "skipped"]);

function isJournalEntry(value: unknown): value is JournalEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry["seq"] === "number" &&
    typeof entry["time"] === "string" &&
    typeof entry["planId"] === "string" &&
    typeof entry["stepId"] === "string" &&
    typeof entry["kind"] === "string" &&
    typeof entry["event"] === "string" &&
    events.has(entry["event"]) &&
    typeof entry["code"] === "string" &&
    typeof entry["message"] === "string"
  );
}
