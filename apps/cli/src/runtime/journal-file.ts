import { relative, resolve } from "node:path";

import { FileJournal, JournalCorruptError } from "@keywarden/core";

import { CliErrorCode, invalidInput } from "../errors/cli-error.js";
import type { CommandContext } from "./command-context.js";

export interface OpenedJournal {
  journal: FileJournal;
  /** The path as shown to people (relative to the working directory when inside it). */
  displayPath: string;
  absolutePath: string;
}

/** Where `apply` keeps a plan's journal when `--journal` is not given: one file per plan, so applying again resumes. */
export function defaultJournalPath(planId: string): string {
  return `.keywarden/journals/${planId}.jsonl`;
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
  const shown = relative(context.cwd, absolutePath);
  return { journal, absolutePath, displayPath: shown.startsWith("..") ? absolutePath : shown };
}
