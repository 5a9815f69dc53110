import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { Journal, JournalEntry, NewJournalEntry } from "./journal-entry.js";
import { coreErrorCodes } from "../errors/core-error-codes.js";
import { JournalCorruptError } from "./journal-error.js";
import { CoreError } from "../errors/core-error.js";
import { sealJournalEntry, verifyJournalChain, type JournalKey } from "./journal-seal.js";

export interface JournalOptions {
  /**
   * Seals the journal: every entry appended carries a MAC chained to the previous one, and opening verifies the whole
   * chain (a gap, an inserted, edited or reordered line is refused, naming the line). Without a key entries are
   * written without MAC and `verified` is false: nothing read back from the file can be trusted as evidence.
   */
  key?: JournalKey;
}

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
  /** `true` when the journal is sealed with a key and every entry read back verified. */
  readonly verified: boolean;
  readonly #entries: JournalEntry[];
  readonly #key: JournalKey | undefined;
  /** The file's size after our last write: a different size means another process wrote to it. */
  #expectedSize: number;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, entries: JournalEntry[], recoveredTornLine: boolean, key: JournalKey | undefined, size: number) {
    this.path = path;
    this.#entries = entries;
    this.recoveredTornLine = recoveredTornLine;
    this.#key = key;
    this.verified = key !== undefined;
    this.#expectedSize = size;
  }

  /** Opens (or creates) the journal at `path`; with `options.key`, verifies its chain. */
  static open(path: string, options: JournalOptions = {}): FileJournal {
    let text = "";
    try {
      mkdirSync(dirname(path), { recursive: true });
      text = readFileSync(path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw unavailable(path, "read", error);
    }
    const { entries, tornLine, lines } = parseJournalLines(text, path);
    if (options.key !== undefined) verifyJournalChain(entries, options.key, path, (index) => lines[index] ?? index + 1);
    if (tornLine) {
      // Rewrite without the torn tail so the next append starts on a fresh line.
      const fd = openOrThrow(path, "w");
      try {
        for (const entry of entries) writeSync(fd, `${JSON.stringify(entry)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    return new FileJournal(path, entries, tornLine, options.key, sizeOf(path));
  }

  append(entry: NewJournalEntry): Promise<JournalEntry> {
    // Appends are serialised so `seq` and line order always agree, even with concurrent callers.
    const result = this.#queue.then(() => {
      const unsealed: JournalEntry = { ...structuredClone(entry), seq: this.#entries.length + 1 };
      delete unsealed.mac;
      const stored = this.#key === undefined ? unsealed : sealJournalEntry(this.#key, this.#entries.at(-1)?.mac ?? "", unsealed);
      const fd = openOrThrow(this.path, "a");
      try {
        // One writer at a time: if the file is not as we left it, another process appended, and our seq would collide.
        const size = fstatSync(fd).size;
        if (size !== this.#expectedSize) {
          throw new CoreError(
            coreErrorCodes.journalConcurrentWrite,
            `Journal ${this.path} was written by another process while this one had it open (${size} bytes, expected ${this.#expectedSize}). ` +
              "Only one apply may write a journal at a time: stop the other one, then apply the same plan again to resume.",
          );
        }
        const line = `${JSON.stringify(stored)}\n`;
        try {
          writeSync(fd, line);
          fsyncSync(fd);
        } catch (error) {
          throw unavailable(this.path, "write", error);
        }
        this.#expectedSize = size + Buffer.byteLength(line);
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

/**
 * A file-system failure (EACCES, EISDIR, ENOTDIR, a full disk...) as the documented journal error, so callers
 * (the CLI's exit code, an apply's journal) see a category and a fix instead of a bare Node error.
 */
function unavailable(path: string, action: "read" | "write", cause: unknown): CoreError {
  const reason = (cause as NodeJS.ErrnoException | undefined)?.code ?? "an I/O error";
  return new CoreError(
    coreErrorCodes.journalUnavailable,
    `Cannot ${action} the journal ${path} (${reason}). Give a journal path in a writable directory that is a file, not a directory.`,
    { cause },
  );
}

function openOrThrow(path: string, flags: "a" | "w"): number {
  try {
    return openSync(path, flags);
  } catch (error) {
    throw unavailable(path, "write", error);
  }
}

function sizeOf(path: string): number {
  try {
    const fd = openSync(path, "r");
    try {
      return fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw unavailable(path, "read", error);
  }
}

/**
 * Parses JSON Lines journal text. Exported for tools that read journals without opening them for writing. With
 * `key`, the chain is verified as well.
 */
export function parseJournalText(text: string, path = "<journal>", key?: JournalKey): { entries: JournalEntry[]; tornLine: boolean } {
  const { entries, tornLine, lines } = parseJournalLines(text, path);
  if (key !== undefined) verifyJournalChain(entries, key, path, (index) => lines[index] ?? index + 1);
  return { entries, tornLine };
}

function parseJournalLines(text: string, path: string): { entries: JournalEntry[]; tornLine: boolean; lines: number[] } {
  const lines = text.split("\n");
  const endsWithNewline = text.endsWith("\n");
  if (endsWithNewline) lines.pop();
  const entries: JournalEntry[] = [];
  const numbers: number[] = [];
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
    numbers.push(index + 1);
  }
  return { entries, tornLine, lines: numbers };
}

const events = new Set(["planned", "approved", "denied", "awaiting-approval", "started", "landed", "succeeded", "failed", "skipped"]);

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
