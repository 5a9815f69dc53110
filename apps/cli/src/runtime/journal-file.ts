import { join, resolve } from "node:path";

import { CoreError, FileJournal, journalLockName, JournalCorruptError, type LockHandle } from "@keywarden/core";

import { CliError, CliErrorCode, invalidInput } from "../errors/cli-error.js";
import { journalKeyFor, locksFor } from "../respond/trust-keys.js";
import { displayPath, keywardenDirectory } from "../sandbox/state-location.js";
import type { CommandContext } from "./command-context.js";

export interface OpenedJournal {
  journal: FileJournal;
  /** The path as shown to people (relative to the working directory when inside it). */
  displayPath: string;
  absolutePath: string;
  /** Releases the journal's writer lock. */
  close(): Promise<void>;
}

/**
 * Where `apply` keeps a plan's journal when `--journal` is not given: one file per plan, so applying again resumes,
 * in the same Keywarden directory as the sandbox state (the nearest `.keywarden/`, else the user's state directory).
 * Never a new `./.keywarden/` in the working directory: that would hide the user's sandbox from the next command.
 */
export function defaultJournalPath(context: Pick<CommandContext, "cwd" | "env">, planId: string): string {
  return join(keywardenDirectory(context).directory, "journals", `${planId}.jsonl`);
}

/**
 * Opens (or creates) a sealed JSON Lines journal as its only writer: the journal's lock is taken first (refused
 * naming the holder, or waited for with `wait`), then the chain is verified. A file that is not a journal, or whose
 * chain does not verify, is invalid input (exit 2).
 */
export async function openJournal(context: CommandContext, path: string, options: { waitInMs?: number; purpose?: string } = {}): Promise<OpenedJournal> {
  const absolutePath = resolve(context.cwd, path);
  let lock: LockHandle;
  try {
    lock = await locksFor(context).acquire(journalLockName(absolutePath), {
      waitInMs: options.waitInMs ?? 0,
      pollIntervalInMs: 200,
      purpose: options.purpose ?? `keywarden pid ${process.pid}`,
    });
  } catch (error) {
    if (CoreError.isInstance(error) && error.code === "KW_CORE_E0010") {
      throw new CliError(CliErrorCode.JournalBusy, `${path} is being written by another keywarden process: ${error.message}`, { cause: error });
    }
    throw error;
  }
  let journal: FileJournal;
  try {
    journal = FileJournal.open(absolutePath, { key: journalKeyFor(context) });
  } catch (error) {
    await lock.release();
    if (error instanceof JournalCorruptError) {
      throw invalidInput(CliErrorCode.InvalidJournal, `${path} is not a valid journal: ${error.message.split("\n")[0] ?? ""}`, error);
    }
    throw error;
  }
  if (journal.recoveredTornLine) context.output.warn(`${path}: dropped an incomplete last line left by an interrupted write.`);
  return { journal, absolutePath, displayPath: displayPath(context.cwd, absolutePath), close: () => lock.release() };
}
