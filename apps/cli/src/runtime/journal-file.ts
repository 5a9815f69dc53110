import { join, resolve } from "node:path";

import { FileJournal, JournalCorruptError } from "@keywarden/core";

import { CliErrorCode, invalidInput } from "../errors/cli-error.js";
import { displayPath, keywardenDirectory } from "../sandbox/state-location.js";
import type { CommandContext } from "./command-context.js";

export interface OpenedJournal {
  journal: FileJournal;
  /** The path as shown to people (relative to the working directory when inside it). */
  displayPath: string;
  absolutePath: string;
}

/**
 * Where `apply` keeps a plan's journal when `--journal` is not given: one file per plan, so applying again resumes,
 * in the same Keywarden directory as the sandbox state (the nearest `.keywarden/`, else the user's state directory).
 * Never a new `./.keywarden/` in the working directory: that would hide the user's sandbox from the next command.
 */
export function defaultJournalPath(context: Pick<CommandContext, "cwd" | "env">, planId: string): string {
  return join(keywardenDirectory(context).directory, "journals", `${planId}.jsonl`);
}

/** Opens (or creates) a JSON Lines journal; a file that is not a journal is invalid input (exit 2). */
export function openJournal(context: CommandContext, path: string): OpenedJournal {
  const absolutePath = resolve(context.cwd, path);
  let journal: FileJournal;
  try {
    journal = FileJournal.open(absolutePath);
  } catch (error) {
    if (error instanceof JournalCorruptError) {
      throw invalidInput(CliErrorCode.InvalidJournal, `${path} is not a valid journal: ${error.message.split("\n")[0] ?? ""}`, error);
    }
    throw error;
  }
  if (journal.recoveredTornLine) context.output.warn(`${path}: dropped an incomplete last line left by an interrupted write.`);
  return { journal, absolutePath, displayPath: displayPath(context.cwd, absolutePath) };
}
